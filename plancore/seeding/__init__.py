"""Loading the plan from its source documents, the demo history, and synthetic plans."""
