"""Adam, with PyTorch's arithmetic: epsilon is added after the bias correction of the
second moment."""

import math

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.factories import zeros_like
from rlgrad.optim.optimizer import Optimizer


class Adam(Optimizer):
    """m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
    p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).

    `weight_decay` adds weight_decay * p to the gradient (L2 penalty); `AdamW` decays the
    weights directly instead. State per parameter: step (int), exp_avg, exp_avg_sq.
    """

    decoupled_weight_decay = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 maximize=False):
        if lr < 0 or eps < 0 or weight_decay < 0 or not all(0 <= beta < 1 for beta in betas):
            raise ValueError(f"invalid {type(self).__name__} hyper-parameters lr={lr}, "
                             f"betas={betas}, eps={eps}, weight_decay={weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, maximize=maximize))

    @no_grad()
    def step(self, closure=None):
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for parameter in group["params"]:
                if parameter.grad is None:
                    continue
                self._update(parameter, group, beta1, beta2)
        return loss

    def _update(self, parameter, group, beta1, beta2):
        state = self.state.get(parameter)
        if state is None:
            state = self.state[parameter] = {
                "step": 0, "exp_avg": zeros_like(parameter), "exp_avg_sq": zeros_like(parameter)}
        state["step"] += 1
        step = state["step"]

        grad = parameter.grad.data
        if group["maximize"]:
            grad = -grad
        weight_decay = group["weight_decay"]
        if weight_decay and self.decoupled_weight_decay:
            parameter.data *= 1 - group["lr"] * weight_decay
        elif weight_decay:
            grad = grad + weight_decay * parameter.data

        step_size = group["lr"] / (1 - beta1 ** step)
        denom_scale = math.sqrt(1 - beta2 ** step)
        backend = _backend.backend_of(parameter.data)
        backend.adam_update(parameter.data, grad, state["exp_avg"].data, state["exp_avg_sq"].data,
                            beta1, beta2, step_size, group["eps"], denom_scale)
        parameter._version += 1
