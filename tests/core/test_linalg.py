"""matmul with PyTorch's 1-D and batched rules, einsum, outer."""

import numpy as np
import pytest

import rlgrad
from core_helpers import check_gradients, host, leaf, values


def _leaf(shape, device, seed=0):
    return leaf(values(np.random.default_rng(seed), shape, "any"), device)


@pytest.mark.parametrize("shape_a, shape_b", [
    ((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 2)), ((5, 2, 3), (3,)),
    ((0, 3), (3, 2)), ((2, 0), (0, 3))])
def test_matmul_shapes_values_and_gradients(device, shape_a, shape_b):
    a, b = _leaf(shape_a, device, 1), _leaf(shape_b, device, 2)
    expected = np.matmul(host(a), host(b))
    result = a @ b
    assert result.shape == expected.shape
    np.testing.assert_allclose(host(result), expected, rtol=1e-12)
    check_gradients(rlgrad.matmul, (a, b))


def test_matmul_rejects_misaligned_shapes(device):
    with pytest.raises(RuntimeError, match="do not align"):
        _leaf((2, 3), device) @ _leaf((2, 3), device)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("ij,ij->i", [(2, 3), (2, 3)]),
    ("ijk,ik->kj", [(2, 3, 4), (2, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ij,k->i", [(2, 3), (4,)]),
    ("ij->ji", [(2, 3)]),
    ("ijk->j", [(2, 3, 4)]),
    ("ij->", [(2, 3)]),
])
def test_einsum_matches_numpy_and_gradients(device, equation, shapes):
    operands = [_leaf(shape, device, seed) for seed, shape in enumerate(shapes)]
    expected = np.einsum(equation, *[host(operand) for operand in operands])
    np.testing.assert_allclose(host(rlgrad.einsum(equation, *operands)), expected, rtol=1e-12)
    check_gradients(lambda *xs: rlgrad.einsum(equation, *xs), tuple(operands))


def test_einsum_rejects_diagonals_with_a_clear_message(device):
    with pytest.raises(NotImplementedError, match="repeated"):
        rlgrad.einsum("ii->i", _leaf((2, 2), device))


def test_outer_values_and_gradients(device):
    a, b = _leaf((3,), device, 1), _leaf((2,), device, 2)
    np.testing.assert_allclose(host(rlgrad.outer(a, b)), np.outer(host(a), host(b)))
    check_gradients(lambda x, y: x.outer(y), (a, b))


def test_linear_under_no_grad_matches_the_recorded_op(device):
    from rlgrad.ops.linalg import linear

    x, weight, bias = _leaf((3, 4), device, 1), _leaf((2, 4), device, 2), _leaf((2,), device, 3)
    recorded = linear(x, weight, bias)
    with rlgrad.no_grad():
        fast = linear(x, weight, bias)
        fast_no_bias = linear(x, weight)
    assert not fast.requires_grad and fast.grad_fn is None
    np.testing.assert_array_equal(host(fast), host(recorded))
    np.testing.assert_allclose(host(fast_no_bias), host(x) @ host(weight).T, rtol=1e-12)


def test_linear_rejects_mismatched_features_and_dtypes(device):
    from rlgrad.ops.linalg import linear

    with pytest.raises(RuntimeError, match="does not match weight"):
        linear(_leaf((3, 5), device), _leaf((2, 4), device))
    with pytest.raises(RuntimeError, match="dtype"):
        linear(_leaf((3, 4), device).float(), _leaf((2, 4), device))


def test_linear_with_a_numpy_input_says_to_convert_it():
    layer = rlgrad.nn.Linear(4, 2)
    with pytest.raises(TypeError, match="linear expects a Tensor input, got numpy.ndarray"):
        layer(np.zeros((3, 4), np.float32))
