"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from rlgrad.autograd.grad_mode import no_grad
from rlgrad.optim.optimizer import Optimizer


class SGD(Optimizer):
    """PyTorch's SGD: with momentum mu, b = mu b + (1 - dampening) g (b = g on the first step),
    then p -= lr * (g + mu b if nesterov else b)."""

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False, maximize=False):
        if lr < 0:
            raise ValueError(f"invalid learning rate {lr}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum needs momentum > 0 and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    @no_grad()
    def step(self, closure=None):
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            momentum = group["momentum"]
            for parameter in group["params"]:
                if parameter.grad is None:
                    continue
                grad = parameter.grad.data
                if group["maximize"]:
                    grad = -grad
                if group["weight_decay"]:
                    grad = grad + group["weight_decay"] * parameter.data
                if momentum:
                    state = self.state.setdefault(parameter, {})
                    buffer = state.get("momentum_buffer")
                    if buffer is None:
                        buffer = parameter.grad.detach().clone()
                        buffer.data[...] = grad
                        state["momentum_buffer"] = buffer
                    else:
                        buffer.data *= momentum
                        buffer.data += (1 - group["dampening"]) * grad
                    grad = grad + momentum * buffer.data if group["nesterov"] else buffer.data
                parameter.data -= group["lr"] * grad
                parameter._version += 1
        return loss
