"""Review: the approval state machine and what people decide about a mention."""
