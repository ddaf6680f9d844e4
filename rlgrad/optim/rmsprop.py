"""RMSprop with PyTorch's arithmetic (epsilon added outside the square root)."""

from rlgrad import _backend
from rlgrad.autograd.grad_mode import no_grad
from rlgrad.factories import zeros_like
from rlgrad.optim.optimizer import Optimizer


class RMSprop(Optimizer):
    """v = alpha v + (1 - alpha) g^2; with `centered`, also m = alpha m + (1 - alpha) g and
    v - m^2 replaces v; avg = sqrt(v) + eps. Then p -= lr g / avg, or with momentum mu,
    b = mu b + g / avg and p -= lr b."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False, maximize=False):
        if lr < 0 or eps < 0 or momentum < 0 or weight_decay < 0 or not 0 <= alpha <= 1:
            raise ValueError(f"invalid RMSprop hyper-parameters lr={lr}, alpha={alpha}, "
                             f"eps={eps}, momentum={momentum}, weight_decay={weight_decay}")
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    @no_grad()
    def step(self, closure=None):
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            for parameter in group["params"]:
                if parameter.grad is not None:
                    self._update(parameter, group)
        return loss

    def _state(self, parameter, group):
        state = self.state.get(parameter)
        if state is None:
            state = self.state[parameter] = {"step": 0, "square_avg": zeros_like(parameter)}
            if group["centered"]:
                state["grad_avg"] = zeros_like(parameter)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(parameter)
        return state

    def _update(self, parameter, group):
        state = self._state(parameter, group)
        state["step"] += 1
        alpha = group["alpha"]
        xp = _backend.namespace(parameter.data)

        grad = parameter.grad.data
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * parameter.data

        square_avg = state["square_avg"].data
        square_avg[...] = square_avg * alpha + grad * grad * (1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"].data
            grad_avg[...] = grad_avg * alpha + grad * (1 - alpha)
            avg = xp.sqrt(square_avg - grad_avg * grad_avg) + group["eps"]
        else:
            avg = xp.sqrt(square_avg) + group["eps"]

        if group["momentum"] > 0:
            buffer = state["momentum_buffer"].data
            buffer[...] = buffer * group["momentum"] + grad / avg
            parameter.data[...] = parameter.data - group["lr"] * buffer
        else:
            parameter.data[...] = parameter.data - group["lr"] * (grad / avg)
        parameter._version += 1
