"""In-place changes through views: either exact, or refused with an error, never silently
wrong gradients. A view (reshape, slice, transpose, expand, detach) shares its base's
version counter."""

import pytest

import rlgrad

VIEWS = {
    "reshape": lambda t: t.view(2, 2),
    "slice": lambda t: t[1:3],
    "transpose": lambda t: t.view(2, 2).t(),
    "detach": lambda t: t.detach(),
}


@pytest.mark.parametrize("make_view", VIEWS.values(), ids=VIEWS.keys())
def test_inplace_on_a_view_of_a_recorded_tensor_is_refused(device, make_view):
    leaf = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device, requires_grad=True)
    result = leaf * 1
    with pytest.raises(RuntimeError, match="changes a view"):
        make_view(result).mul_(2)


def test_inplace_on_a_view_of_a_leaf_that_requires_grad_is_refused(device):
    weight = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device, requires_grad=True)
    with pytest.raises(RuntimeError, match="changes a view"):
        weight.view(2, 2).mul_(2)


def test_inplace_on_a_view_under_no_grad_changes_the_base(device):
    weight = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device, requires_grad=True)
    with rlgrad.no_grad():
        weight[0:2].mul_(10)
    assert weight.tolist() == [10.0, 20.0, 3.0, 4.0]


@pytest.mark.parametrize("make_view", VIEWS.values(), ids=VIEWS.keys())
def test_changing_a_view_of_a_saved_value_breaks_the_backward_loudly(device, make_view):
    data = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device)
    weight = rlgrad.tensor(2.0, device=device, requires_grad=True)
    loss = (weight * data).sum()
    make_view(data).mul_(10)
    with pytest.raises(RuntimeError, match="modified by an in-place operation.*mul_"):
        loss.backward()


def test_changing_the_base_of_a_saved_view_breaks_the_backward_loudly(device):
    data = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device)
    weight = rlgrad.tensor(2.0, device=device, requires_grad=True)
    loss = (weight * data.view(2, 2)).sum()
    data.add_(1)
    with pytest.raises(RuntimeError, match="modified by an in-place operation.*add_"):
        loss.backward()


def test_advanced_indexing_copies_so_changing_it_leaves_the_base(device):
    data = rlgrad.tensor([1.0, 2.0, 3.0], device=device)
    picked = data[rlgrad.tensor([0, 0], device=device)]
    picked.mul_(5)
    assert data.tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("make_view", [VIEWS["reshape"], VIEWS["slice"], VIEWS["transpose"]],
                         ids=["reshape", "slice", "transpose"])
def test_view_taken_before_its_base_changed_in_place_is_refused(device, make_view):
    leaf = rlgrad.tensor([1.0, 2.0, 3.0, 4.0], device=device, requires_grad=True)
    base = leaf * 1
    view = make_view(base)
    base.mul_(3)
    with pytest.raises(RuntimeError, match="view taken before its base was changed.*mul_"):
        (view * view).sum()


def test_detached_copy_of_a_parameter_stays_usable_after_an_update(device):
    weight = rlgrad.tensor([1.0, 2.0], device=device, requires_grad=True)
    frozen = weight.detach()
    with rlgrad.no_grad():
        weight.mul_(2)
    (frozen * weight).sum().backward()
    assert weight.grad.tolist() == [2.0, 4.0]  # the shared memory holds the new values


def test_augmented_assignment_updates_in_place_like_pytorch(device):
    weight = rlgrad.tensor([1.0, 2.0], device=device, requires_grad=True)
    alias = weight
    with rlgrad.no_grad():
        weight -= 0.5
    assert alias is weight and weight.tolist() == [0.5, 1.5] and weight.requires_grad
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        weight += 1


def test_copy_into_a_tensor_holding_inf_and_nan_gives_the_source(device):
    target = rlgrad.tensor([float("inf"), float("nan"), 1.0], device=device)
    target.copy_(rlgrad.tensor([1.0, 2.0, 3.0], device=device))
    assert target.tolist() == [1.0, 2.0, 3.0]


def test_copy_sends_the_gradient_to_the_source_and_none_to_the_old_value(device):
    leaf = rlgrad.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
    source = rlgrad.tensor([5.0, 6.0, 7.0], device=device, requires_grad=True)
    result = leaf * 2
    result.copy_(source)
    (result * result).sum().backward()
    assert source.grad.tolist() == [10.0, 12.0, 14.0]
    assert leaf.grad is None
