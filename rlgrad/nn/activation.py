"""Activation modules, each a thin wrapper of the function of the same name."""

from rlgrad.nn.module import Module


class Tanh(Module):
    def forward(self, input):
        return input.tanh()


class ReLU(Module):
    def forward(self, input):
        return input.relu()


class Sigmoid(Module):
    def forward(self, input):
        return input.sigmoid()
