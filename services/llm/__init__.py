"""Language models: one interface (base.LLMBackend), an OpenAI-compatible and an embedded backend."""
