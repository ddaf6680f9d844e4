"""Supervised regression: an MLP with input and target normalisation, and its fitting loop.

Used by `scripts/fit.py` for any (x, y) arrays, and for learning dynamics models
(observation and action in, change of observation out).
"""

from dataclasses import dataclass, field

import numpy as np

import rlgrad
from agents.policies import mlp
from rlgrad import nn


class Regressor(nn.Module):
    """y = mlp((x - x_mean) / x_std) * y_std + y_mean; x (batch, in_dim), y (batch, out_dim).

    The statistics are buffers, so a saved state dict holds everything needed to predict.
    """

    def __init__(self, in_dim, out_dim, hidden=(128, 128), activation="relu", device=None):
        super().__init__()
        self.device = rlgrad.device(device or "cpu")
        self.net = mlp(in_dim, out_dim, hidden, activation).to(self.device)
        for name, size, value in (("x_mean", in_dim, 0.0), ("x_std", in_dim, 1.0),
                                  ("y_mean", out_dim, 0.0), ("y_std", out_dim, 1.0)):
            self.register_buffer(name, rlgrad.full((size,), value, device=self.device))

    def set_normalization(self, x, y, min_std=1e-6):
        """Fit the input and target statistics to training arrays x and y."""
        for prefix, values in (("x", x), ("y", y)):
            values = np.asarray(values, dtype=np.float64)
            setattr(self, f"{prefix}_mean", rlgrad.tensor(values.mean(0), dtype=rlgrad.float32,
                                                          device=self.device))
            setattr(self, f"{prefix}_std", rlgrad.tensor(np.maximum(values.std(0), min_std),
                                                         dtype=rlgrad.float32,
                                                         device=self.device))

    def normalized_prediction(self, x):
        return self.net((x - self.x_mean) / self.x_std)

    def forward(self, x):
        return self.normalized_prediction(x) * self.y_std + self.y_mean

    def loss(self, x, y):
        """Mean squared error in normalised target units (each output weighs the same)."""
        target = (y - self.y_mean) / self.y_std
        return nn.functional.mse_loss(self.normalized_prediction(x), target)


@dataclass
class FitHistory:
    train_loss: list = field(default_factory=list)
    val_mse: list = field(default_factory=list)


def mean_squared_error(model, x, y, batch_size=4096):
    """MSE of model(x) against y in the targets' own units, over all rows and outputs."""
    total, count = 0.0, 0
    with rlgrad.no_grad():
        for start in range(0, len(x), batch_size):
            batch_x = rlgrad.as_tensor(x[start:start + batch_size], device=model.device)
            prediction = model(batch_x).cpu().numpy()
            total += float(((prediction - y[start:start + batch_size]) ** 2).sum())
            count += prediction.size
    return total / max(count, 1)


def fit(model, train, val, epochs, batch_size, lr, seed=0, on_epoch=None):
    """Minibatch Adam on the normalised MSE. `train` and `val` are (x, y) float32 arrays;
    `on_epoch(epoch, train_loss, val_mse)` is called after every epoch."""
    optimizer = rlgrad.optim.Adam(model.parameters(), lr=lr)
    rng = np.random.default_rng(seed)
    train_x, train_y = train
    history = FitHistory()
    for epoch in range(epochs):
        order = rng.permutation(len(train_x))
        losses = []
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            batch_x = rlgrad.as_tensor(train_x[rows], device=model.device)
            batch_y = rlgrad.as_tensor(train_y[rows], device=model.device)
            loss = model.loss(batch_x, batch_y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.train_loss.append(float(np.mean(losses)))
        history.val_mse.append(mean_squared_error(model, *val))
        if on_epoch is not None:
            on_epoch(epoch, history.train_loss[-1], history.val_mse[-1])
    return history
