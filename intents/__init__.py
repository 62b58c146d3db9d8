"""Data package: the team's intent corpus, rules and lexicons, and the spaCy config."""
