"""The backward engine: accumulation checks, retain/create graph, grad(), in-place version
checks, hooks, deep graphs and memory release."""

import gc
import weakref

import numpy as np
import pytest

import rlgrad
from rlgrad.autograd.function import Function
from core_helpers import host, leaf


class WrongShapeGradient(Function):
    """A deliberately broken op: its backward returns a gradient of the wrong shape (one that
    is not a broadcast of the input's, which the engine would sum down)."""

    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return rlgrad.cat([grad, grad[:1]])


class WrongDtypeGradient(Function):
    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return grad.to(rlgrad.float32)


def test_gradient_of_wrong_shape_raises(device):
    x = leaf([1.0, 2.0], device)
    with pytest.raises(RuntimeError, match=r"shape \(3,\).*input 0 of shape \(2,\)"):
        WrongShapeGradient.apply(x).sum().backward()


def test_gradient_of_wrong_dtype_raises(device):
    x = leaf([1.0, 2.0], device)
    with pytest.raises(RuntimeError, match="dtype float32.*dtype float64"):
        WrongDtypeGradient.apply(x).sum().backward()


def test_integer_and_boolean_tensors_cannot_require_grad(device):
    for data in ([1, 2], [True, False]):
        with pytest.raises(RuntimeError, match="only floating-point tensors"):
            rlgrad.tensor(data, device=device, requires_grad=True)


def test_integer_results_carry_no_gradient(device):
    x = leaf([1.5, 2.5], device)
    assert not x.argmax().requires_grad
    assert not (x > 2).requires_grad
    assert not x.long().requires_grad


def test_leaf_gradients_accumulate_across_backward_calls(device):
    x = leaf([1.0, 2.0], device)
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    assert host(x.grad).tolist() == [6.0, 6.0]


def test_second_backward_through_a_released_graph_raises(device):
    x = leaf([1.0, 2.0], device)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_retain_graph_allows_a_second_backward(device):
    x = leaf([1.0, 2.0], device)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = host(x.grad).copy()
    y.backward()
    np.testing.assert_allclose(host(x.grad), 2 * first)


def test_backward_releases_saved_values(device):
    x = leaf([1.0, 2.0], device)
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    assert node.released and not hasattr(node, "out") and not hasattr(node, "inputs")


def test_backward_with_explicit_gradient(device):
    x = leaf([1.0, 2.0], device)
    (x * x).backward(gradient=leaf([1.0, 10.0], device, requires_grad=False))
    assert host(x.grad).tolist() == [2.0, 40.0]


def test_backward_of_non_scalar_without_gradient_raises(device):
    with pytest.raises(RuntimeError, match="scalar outputs"):
        (leaf([1.0, 2.0], device) * 2).backward()


def test_hessian_vector_product_with_create_graph(device):
    x = leaf([1.0, 2.0, 3.0], device)
    vector = leaf([1.0, 0.5, -1.0], device, requires_grad=False)
    (gradient,) = rlgrad.autograd.grad((x ** 3).sum(), x, create_graph=True)
    (hessian_vector,) = rlgrad.autograd.grad((gradient * vector).sum(), x)
    # d2/dx2 sum(x^3) = diag(6x)
    np.testing.assert_allclose(host(hessian_vector), [6.0, 6.0, -18.0])


def test_create_graph_backward_makes_differentiable_grad(device):
    x = leaf([0.5, -0.3], device)
    (x.tanh() * x).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    first = x.grad
    x.grad = None
    first.sum().backward()
    tanh = np.tanh([0.5, -0.3])
    expected = 2 * (1 - tanh ** 2) - 2 * np.array([0.5, -0.3]) * tanh * (1 - tanh ** 2)
    np.testing.assert_allclose(host(x.grad), expected, rtol=1e-12)


def test_grad_with_grad_outputs_leaves_dot_grad_untouched(device):
    x = leaf([1.0, 2.0], device)
    y = x * x
    (result,) = rlgrad.autograd.grad(y, x, grad_outputs=leaf([3.0, 1.0], device, False))
    assert host(result).tolist() == [6.0, 4.0] and x.grad is None


def test_grad_of_unused_input_raises_unless_allowed(device):
    x, unused = leaf([1.0], device), leaf([2.0], device)
    with pytest.raises(RuntimeError, match="not used"):
        rlgrad.autograd.grad((x * 2).sum(), [x, unused])
    assert rlgrad.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)[1] is None


def test_inplace_change_of_a_saved_input_raises_naming_the_op(device):
    x = leaf([1.0, 2.0], device)
    a = x * 1.0
    y = a * a
    a.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified by an in-place operation.*mul_"):
        y.sum().backward()


def test_inplace_change_of_a_saved_output_raises_naming_the_op(device):
    x = leaf([1.0, 2.0], device)
    y = x.exp()
    y.add_(1.0)
    with pytest.raises(RuntimeError, match="output of ExpBackward was changed by add_"):
        y.sum().backward()


def test_inplace_ops_bump_the_version(device):
    x = rlgrad.zeros(3, device=device)
    versions = [x._version]
    for update in (lambda: x.add_(1.0), lambda: x.mul_(2.0), lambda: x.zero_(),
                   lambda: x.copy_(rlgrad.ones(3, device=device)), lambda: x.__setitem__(0, 5.0)):
        update()
        versions.append(x._version)
    assert versions == [0, 1, 2, 3, 4, 5]
    assert host(x).tolist() == [5.0, 1.0, 1.0]


def test_inplace_on_a_leaf_requiring_grad_raises(device):
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        leaf([1.0], device).add_(1.0)


def test_inplace_on_a_non_leaf_is_recorded(device):
    x = leaf([1.0, 2.0], device)
    y = x * 2.0
    y.add_(x)
    y.sum().backward()
    assert host(x.grad).tolist() == [3.0, 3.0]


def test_detach_shares_data_and_cuts_the_graph(device):
    x = leaf([1.0, 2.0], device)
    detached = (x * 2).detach()
    assert not detached.requires_grad and detached.grad_fn is None


def test_item_numpy_tolist_and_requires_grad_(device):
    x = leaf([[1.5]], device, requires_grad=False)
    assert x.item() == 1.5 and x.tolist() == [[1.5]]
    assert x.requires_grad_() is x and x.requires_grad
    if device == "cpu":
        with pytest.raises(RuntimeError, match="detach"):
            x.numpy()
        assert x.detach().numpy().tolist() == [[1.5]]
    else:
        with pytest.raises(TypeError, match="cpu"):
            x.detach().numpy()


def test_hook_on_a_leaf_can_replace_the_gradient(device):
    x = leaf([1.0, 2.0], device)
    seen = []
    handle = x.register_hook(lambda grad: seen.append(host(grad).tolist()) or grad * 10)
    (x * 3).sum().backward()
    assert seen == [[3.0, 3.0]] and host(x.grad).tolist() == [30.0, 30.0]
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    assert host(x.grad).tolist() == [3.0, 3.0]


def test_hook_on_a_non_leaf_sees_and_changes_its_gradient(device):
    x = leaf([1.0, 2.0], device)
    middle = x * 2
    seen = []
    middle.register_hook(lambda grad: seen.append(host(grad).tolist()) or grad * 0.5)
    (middle * middle).sum().backward()
    assert seen == [[4.0, 8.0]]
    assert host(x.grad).tolist() == [4.0, 8.0]


def test_retain_grad_keeps_a_non_leaf_gradient(device):
    x = leaf([1.0, 2.0], device)
    middle = x * 2
    middle.retain_grad()
    (middle * 3).sum().backward()
    assert host(middle.grad).tolist() == [3.0, 3.0]


def test_deep_chain_backpropagates_without_recursion_error():
    x = rlgrad.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    del y  # freeing a 100k-long chain must not overflow the C stack either
    assert x.grad.item() == 1.0


def _training_step(weight, bias, inputs, targets, learning_rate=0.01):
    loss = ((inputs @ weight + bias).tanh() - targets).pow(2).mean()
    loss.backward()
    with rlgrad.no_grad():
        weight.sub_(weight.grad * learning_rate)
        bias.sub_(bias.grad * learning_rate)
    weight.grad = bias.grad = None
    return loss


def test_graph_is_freed_without_the_cycle_collector():
    weight = rlgrad.tensor(np.random.default_rng(0).standard_normal((3, 2)), requires_grad=True)
    bias = rlgrad.zeros(2, requires_grad=True)
    inputs, targets = rlgrad.ones(8, 3), rlgrad.zeros(8, 2)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        loss = _training_step(weight, bias, inputs, targets)
        node_ref, loss_ref = weakref.ref(loss.grad_fn), weakref.ref(loss)
        del loss
        assert node_ref() is None and loss_ref() is None
        gc.collect()
        before = len(gc.get_objects())
        for _ in range(2000):
            _training_step(weight, bias, inputs, targets)
        assert len(gc.get_objects()) - before < 50
    finally:
        if was_enabled:
            gc.enable()


def test_nn_training_loop_memory_stays_flat():
    import tracemalloc

    import rlgrad.nn
    import rlgrad.optim

    model = rlgrad.nn.Sequential(rlgrad.nn.Linear(4, 16), rlgrad.nn.Tanh(),
                                 rlgrad.nn.Linear(16, 2))
    optimizer = rlgrad.optim.Adam(model.parameters(), lr=1e-3)
    inputs, targets = rlgrad.randn(32, 4), rlgrad.randn(32, 2)

    def step():
        optimizer.zero_grad()
        loss = rlgrad.nn.functional.mse_loss(model(inputs), targets)
        loss.backward()
        optimizer.step()

    was_enabled = gc.isenabled()
    gc.disable()
    tracemalloc.start()
    try:
        for _ in range(50):
            step()
        baseline, _ = tracemalloc.get_traced_memory()
        for _ in range(2000):
            step()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if was_enabled:
            gc.enable()
    assert current - baseline < 64 * 1024


def test_gradcheck_is_exported_as_function_and_module():
    from rlgrad.gradcheck import GradcheckError, gradcheck, gradgradcheck

    assert rlgrad.gradcheck is gradcheck and rlgrad.gradgradcheck is gradgradcheck
    x = rlgrad.tensor([0.5], dtype=rlgrad.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="differs from finite differences"):
        gradcheck(lambda t: WrongScale.apply(t), (x,))


class WrongScale(Function):
    """y = 2x whose backward claims 3: gradcheck must catch it."""

    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return grad * 3.0
