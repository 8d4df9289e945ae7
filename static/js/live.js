// Live updates client: see issue #4.
