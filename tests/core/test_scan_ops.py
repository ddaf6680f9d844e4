"""cumsum and flip: values written out, gradients against finite differences."""

import numpy as np
import pytest
from core_helpers import check_gradients, host, leaf

import rlgrad


def test_cumsum_values_along_a_dimension(device):
    x = rlgrad.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device=device)
    assert host(x.cumsum(1)).tolist() == [[1.0, 3.0, 6.0], [4.0, 9.0, 15.0]]
    assert host(rlgrad.cumsum(x, -2)).tolist() == [[1.0, 2.0, 3.0], [5.0, 7.0, 9.0]]


def test_cumsum_gradient_is_the_reversed_running_sum(device):
    x = rlgrad.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
    (x.cumsum(0) * rlgrad.tensor([1.0, 10.0, 100.0], device=device)).sum().backward()
    assert host(x.grad).tolist() == [111.0, 110.0, 100.0]


def test_flip_values_over_several_dimensions(device):
    x = rlgrad.tensor([[1.0, 2.0], [3.0, 4.0]], device=device)
    assert host(x.flip(0)).tolist() == [[3.0, 4.0], [1.0, 2.0]]
    assert host(rlgrad.flip(x, (0, 1))).tolist() == [[4.0, 3.0], [2.0, 1.0]]


@pytest.mark.parametrize("shape, dim", [((5,), 0), ((3, 4), 1), ((2, 3, 4), -2), ((3, 1), 1),
                                        ((0, 3), 1)])
def test_cumsum_and_flip_gradients(device, shape, dim):
    x = leaf(np.random.default_rng(0).uniform(-2, 2, shape), device)
    check_gradients(lambda t: t.cumsum(dim), (x,))
    check_gradients(lambda t: t.flip(dim) * t, (x,))
