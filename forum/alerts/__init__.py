"""Experts are told: a new public question in an expert's specialty, or asked of them, reaches them live and
by email as they chose (immediately, a daily summary, or never), through the background workers; and
questions no expert answered in EXPERT_OVERDUE_HOURS are listed for moderators."""
