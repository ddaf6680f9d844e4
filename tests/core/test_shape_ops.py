"""Shape ops, joining, splitting, padding: values against NumPy and gradients."""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.numpy import array_shapes

import rlgrad
from core_helpers import SETTINGS, check_gradients, host, leaf, values

RNG = np.random.default_rng(7)


def _leaf(shape, device):
    return leaf(values(RNG, shape, "any"), device)


@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3),
       seed=st.integers(0, 2 ** 16))
def test_reshape_flatten_and_permute_gradients(device, shape, seed):
    x = leaf(values(np.random.default_rng(seed), shape, "any"), device)
    reversed_dims = tuple(reversed(range(len(shape))))
    check_gradients(lambda t: t.reshape(-1), (x,))
    check_gradients(lambda t: t.flatten(), (x,))
    check_gradients(lambda t: t.permute(*reversed_dims) * 2.0, (x,))


def test_view_is_reshape(device):
    x = _leaf((2, 3), device)
    assert x.view(3, 2).shape == (3, 2) and x.view(-1).shape == (6,)


def test_flatten_start_and_end_dims(device):
    x = _leaf((2, 3, 4, 5), device)
    assert x.flatten(1).shape == (2, 60)
    assert x.flatten(1, 2).shape == (2, 12, 5)
    assert rlgrad.flatten(leaf(1.0, device)).shape == (1,)


def test_squeeze_and_unsqueeze(device):
    x = _leaf((1, 3, 1), device)
    assert x.squeeze().shape == (3,)
    assert x.squeeze(0).shape == (3, 1)
    assert x.squeeze(1).shape == (1, 3, 1)  # size is not 1: kept, as in PyTorch
    assert x.squeeze((0, 2)).shape == (3,)
    assert x.unsqueeze(0).shape == (1, 1, 3, 1)
    assert x.unsqueeze(-1).shape == (1, 3, 1, 1)
    check_gradients(lambda t: t.squeeze().unsqueeze(1), (x,))


def test_transpose_and_t(device):
    x = _leaf((2, 3, 4), device)
    assert x.transpose(0, 2).shape == (4, 3, 2)
    np.testing.assert_array_equal(host(x.transpose(-1, 0)), host(x).swapaxes(-1, 0))
    check_gradients(lambda t: t.transpose(1, 2), (x,))


@pytest.mark.parametrize("source, target", [((3,), (2, 3)), ((2, 1), (2, 4)), ((), (2, 2)),
                                            ((1, 3), (0, 3)), ((2, 1, 3), (2, 4, 3))])
def test_expand_and_broadcast_to_gradients(device, source, target):
    x = _leaf(source, device)
    np.testing.assert_array_equal(host(x.expand(*target)), np.broadcast_to(host(x), target))
    check_gradients(lambda t: t.broadcast_to(target), (x,))


def test_expand_with_minus_one_keeps_the_extent(device):
    assert _leaf((2, 1), device).expand(-1, 5).shape == (2, 5)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_values_and_gradients(device, dim):
    a, b = _leaf((2, 3), device), _leaf((2, 3), device)
    if dim == 0:
        b = _leaf((1, 3), device)
    expected = np.concatenate([host(a), host(b)], axis=dim)
    np.testing.assert_array_equal(host(rlgrad.cat([a, b], dim)), expected)
    check_gradients(lambda x, y: rlgrad.cat([x, y], dim), (a, b))


def test_cat_with_an_empty_piece(device):
    a, b = _leaf((0, 3), device), _leaf((2, 3), device)
    check_gradients(lambda x, y: rlgrad.cat((x, y)), (a, b))


def test_cat_rejects_mismatched_shapes(device):
    with pytest.raises(ValueError, match="except along dim"):
        rlgrad.cat([_leaf((2, 3), device), _leaf((2, 4), device)])


def test_cat_only_sends_gradient_to_inputs_that_need_it(device):
    a = _leaf((2,), device)
    constant = leaf([5.0], device, requires_grad=False)
    rlgrad.cat([constant, a]).sum().backward()
    assert host(a.grad).tolist() == [1.0, 1.0] and constant.grad is None


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_stack_values_and_gradients(device, dim):
    a, b = _leaf((2, 3), device), _leaf((2, 3), device)
    np.testing.assert_array_equal(host(rlgrad.stack([a, b], dim)),
                                  np.stack([host(a), host(b)], axis=dim))
    check_gradients(lambda x, y: rlgrad.stack([x, y], dim), (a, b))


def test_split_by_size_and_by_sections(device):
    x = _leaf((5, 2), device)
    assert [piece.shape for piece in x.split(2)] == [(2, 2), (2, 2), (1, 2)]
    assert [piece.shape for piece in rlgrad.split(x, [1, 4])] == [(1, 2), (4, 2)]
    check_gradients(lambda t: t.split([3, 2])[1] * t.split(2)[0].sum(), (x,))
    with pytest.raises(ValueError, match="add up"):
        x.split([1, 1])


def test_chunk_gives_pieces_of_ceil_size(device):
    x = _leaf((2, 7), device)
    assert [piece.shape for piece in x.chunk(3, dim=1)] == [(2, 3), (2, 3), (2, 1)]
    check_gradients(lambda t: t.chunk(2, 1)[1], (x,))


def test_pad_follows_pytorch_order_from_the_last_dim(device):
    x = leaf([[1.0, 2.0]], device)
    padded = rlgrad.pad(x, (1, 2, 1, 0), value=9.0)
    assert host(padded).tolist() == [[9, 9, 9, 9, 9], [9, 1, 2, 9, 9]]
    check_gradients(lambda t: rlgrad.pad(t, (0, 1)), (_leaf((2, 3), device),))


def test_pad_rejects_other_modes(device):
    with pytest.raises(NotImplementedError, match="constant"):
        rlgrad.pad(_leaf((2, 3), device), (1, 1), mode="reflect")
