"""AI analysis of a case: a built-in, offline analyzer and an optional OpenAI-compatible LLM (seed 000)."""
