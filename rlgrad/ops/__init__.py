"""rlgrad's differentiable operations, grouped by family; each op's forward and backward sit
side by side in one `Function` subclass."""
