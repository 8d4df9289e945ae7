"""An expert's inbox: every public question of their specialties that no verified expert has answered yet, the
questions addressed to them personally, and the soft "I'm answering this" claims (claims.py)."""
