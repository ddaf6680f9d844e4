"""Utilities around the core: TensorBoard logging."""
