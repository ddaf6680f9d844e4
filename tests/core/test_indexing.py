"""Indexing: basic, integer, boolean and mixed `__getitem__`, `gather`, `index_select`,
`take_along_dim`, and `__setitem__`; repeated indices accumulate their gradients."""

import numpy as np
import pytest

import rlgrad
from core_helpers import check_gradients, host, leaf, values

STRICT_ADVANCED = ("array_api_strict implements only the standard's indexing: integer arrays "
                   "must index every axis and cannot be mixed with slices")


def _leaf(shape, device):
    return leaf(values(np.random.default_rng(11), shape, "any"), device)


def _index(array, device):
    return rlgrad.tensor(np.asarray(array), device=device)


@pytest.mark.parametrize("index", [1, -1, slice(None, None, 2), (slice(1, 3), 0),
                                   (Ellipsis, 1), (None, 0), (0, slice(None), None)],
                         ids=["int", "negative", "step", "slice_int", "ellipsis", "none",
                              "mixed_basic"])
def test_basic_indexing_values_and_gradients(device, index):
    x = _leaf((3, 4), device)
    np.testing.assert_array_equal(host(x[index]), host(x)[index])
    check_gradients(lambda t: t[index], (x,))


def test_integer_index_on_first_axis_accumulates_repeats(device):
    x = _leaf((3, 2), device)
    rows = _index([2, 0, 2], device)
    np.testing.assert_array_equal(host(x[rows]), host(x)[[2, 0, 2]])
    x[rows].sum().backward()
    assert host(x.grad).tolist() == [[1, 1], [0, 0], [2, 2]]
    check_gradients(lambda t: t[rows], (x,))


def test_boolean_mask_index(device):
    x = _leaf((4,), device)
    mask = _index([True, False, True, True], device)
    np.testing.assert_array_equal(host(x[mask]), host(x)[[0, 2, 3]])
    x[mask].sum().backward()
    assert host(x.grad).tolist() == [1, 0, 1, 1]


def test_integer_arrays_on_every_axis(device):
    x = _leaf((3, 3), device)
    rows, cols = _index([0, 2, 0], device), _index([1, 1, 1], device)
    np.testing.assert_array_equal(host(x[rows, cols]), host(x)[[0, 2, 0], [1, 1, 1]])
    x[rows, cols].sum().backward()
    assert host(x.grad)[0, 1] == 2.0 and host(x.grad).sum() == 3.0


def test_mixed_slice_and_integer_array_index(device):
    if device != "cpu":
        pytest.skip(STRICT_ADVANCED)
    x = _leaf((3, 4), device)
    cols = _index([3, 3, 0], device)
    np.testing.assert_array_equal(host(x[1:, cols]), host(x)[1:, [3, 3, 0]])
    check_gradients(lambda t: t[1:, cols], (x,))


def test_list_index_accumulates_repeats(device):
    x = _leaf((4,), device)
    x[[0, 0, 3]].sum().backward()
    assert host(x.grad).tolist() == [2.0, 0.0, 0.0, 1.0]
    check_gradients(lambda t: t[[0, 0, 3]], (x,))


def test_gather_values_and_scatter_add_gradient(device):
    x = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], device)
    index = _index([[0, 0], [2, 1]], device)
    gathered = x.gather(1, index)
    assert host(gathered).tolist() == [[1.0, 1.0], [6.0, 5.0]]
    gathered.sum().backward()
    assert host(x.grad).tolist() == [[2.0, 0.0, 0.0], [0.0, 1.0, 1.0]]
    check_gradients(lambda t: rlgrad.gather(t, 0, _index([[1, 0, 1]], device)), (x,))


def test_take_along_dim_matches_numpy(device):
    x = _leaf((3, 4), device)
    order = np.argsort(host(x), axis=1)
    taken = rlgrad.take_along_dim(x, _index(order, device), dim=1)
    np.testing.assert_array_equal(host(taken), np.take_along_axis(host(x), order, axis=1))
    check_gradients(lambda t: t.take_along_dim(_index(order, device), -1), (x,))


@pytest.mark.parametrize("dim", [0, 1, 2])
def test_index_select_values_and_gradients(device, dim):
    x = _leaf((3, 2, 4), device)
    index = _index([1, 1, 0], device)
    np.testing.assert_array_equal(host(x.index_select(dim, index)),
                                  np.take(host(x), [1, 1, 0], axis=dim))
    check_gradients(lambda t: rlgrad.index_select(t, dim, index), (x,))


def test_index_select_rejects_a_2d_index(device):
    with pytest.raises(IndexError, match="1-D integer"):
        _leaf((3,), device).index_select(0, _index([[0]], device))


def test_setitem_records_gradients_of_both_sides(device):
    base = _leaf((3,), device)
    value = leaf([10.0], device)
    x = base * 1.0
    x[1:2] = value * 2.0
    (x * leaf([1.0, 2.0, 3.0], device, requires_grad=False)).sum().backward()
    assert host(base.grad).tolist() == [1.0, 0.0, 3.0]
    assert host(value.grad).tolist() == [4.0]


def test_setitem_without_grad_writes_in_place(device):
    x = rlgrad.zeros(3, device=device)
    x[0] = 5.0
    x[1:] = rlgrad.tensor([1.0, 2.0], device=device)
    assert host(x).tolist() == [5.0, 1.0, 2.0]
