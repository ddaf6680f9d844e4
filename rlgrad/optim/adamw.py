"""AdamW: Adam with decoupled weight decay (Loshchilov and Hutter)."""

from rlgrad.optim.adam import Adam


class AdamW(Adam):
    """Adam whose weight decay shrinks the weights directly, p *= 1 - lr * weight_decay,
    before the Adam step, instead of adding an L2 term to the gradient."""

    decoupled_weight_decay = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 maximize=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         maximize=maximize)
