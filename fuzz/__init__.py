"""The reliability harness: fuzzing, the fix round trip and the LSP soak (see `__main__`)."""
