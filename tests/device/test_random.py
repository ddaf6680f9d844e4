"""Random numbers on every device: `manual_seed` and `Generator` make draws reproducible, and
each device draws from its own generator."""

import numpy as np
import pytest

import rlgrad


def test_manual_seed_repeats_the_draws(device):
    rlgrad.manual_seed(123)
    first = rlgrad.randn(4, device=device).tolist() + rlgrad.rand(4, device=device).tolist()
    rlgrad.manual_seed(123)
    second = rlgrad.randn(4, device=device).tolist() + rlgrad.rand(4, device=device).tolist()
    assert first == second


def test_successive_draws_differ(device):
    rlgrad.manual_seed(0)
    assert rlgrad.rand(4, device=device).tolist() != rlgrad.rand(4, device=device).tolist()


def test_generator_argument_repeats_the_draws(device):
    first = rlgrad.randn(5, generator=rlgrad.Generator(device).manual_seed(7), device=device)
    second = rlgrad.randn(5, generator=rlgrad.Generator(device).manual_seed(7), device=device)
    assert first.tolist() == second.tolist()


def test_generator_argument_leaves_the_default_generator_alone(device):
    rlgrad.manual_seed(3)
    expected = rlgrad.rand(3, device=device).tolist()
    rlgrad.manual_seed(3)
    rlgrad.rand(3, generator=rlgrad.Generator(device).manual_seed(99), device=device)
    assert rlgrad.rand(3, device=device).tolist() == expected


def test_stand_in_draws_the_same_numbers_as_cpu():
    rlgrad.manual_seed(11)
    on_cpu = rlgrad.randn(6).tolist()
    rlgrad.manual_seed(11)
    assert rlgrad.randn(6, device="array_api_strict").tolist() == on_cpu


def test_manual_seed_seeds_devices_first_used_afterwards():
    rlgrad.manual_seed(5)
    cpu_draw = rlgrad.randint(0, 1000, (8,)).tolist()
    rlgrad.manual_seed(5)
    assert rlgrad.randint(0, 1000, (8,), device="array_api_strict").tolist() == cpu_draw


def test_generator_on_another_device_is_refused_naming_both():
    generator = rlgrad.Generator("cpu")
    with pytest.raises(RuntimeError, match="generator on array_api_strict, got one on cpu"):
        rlgrad.rand(2, generator=generator, device="array_api_strict")


def test_generator_reports_its_seed_and_device():
    generator = rlgrad.Generator(device="array_api_strict").manual_seed(42)
    assert generator.initial_seed() == 42
    assert generator.device == rlgrad.device("array_api_strict")


def test_rand_lies_in_the_unit_interval(device):
    rlgrad.manual_seed(0)
    values = rlgrad.rand(2000, device=device).cpu().numpy()
    assert values.min() >= 0.0 and values.max() < 1.0
    assert abs(values.mean() - 0.5) < 0.03  # standard error is 0.0065


def test_randn_has_unit_spread(device):
    rlgrad.manual_seed(0)
    values = rlgrad.randn(4000, dtype=rlgrad.float64, device=device).cpu().numpy()
    assert values.dtype == np.float64
    assert abs(values.mean()) < 0.06 and abs(values.std() - 1.0) < 0.05  # ~4 standard errors


def test_randint_covers_exactly_its_range(device):
    rlgrad.manual_seed(0)
    values = rlgrad.randint(2, 6, (500,), device=device).tolist()
    assert set(values) == {2, 3, 4, 5}


def test_randint_with_a_float_dtype(device):
    values = rlgrad.randint(3, size=(4,), dtype=rlgrad.float32, device=device)
    assert values.dtype == rlgrad.float32 and set(values.tolist()) <= {0.0, 1.0, 2.0}


def test_rand_refuses_an_integer_dtype():
    with pytest.raises(TypeError, match="floating-point tensors, got dtype int64"):
        rlgrad.rand(2, dtype=rlgrad.int64)


def test_rand_like_takes_shape_dtype_and_device(device):
    made = rlgrad.rand_like(rlgrad.zeros(2, 3, dtype=rlgrad.float64, device=device))
    assert (made.shape, made.dtype, made.device) == ((2, 3), rlgrad.float64,
                                                      rlgrad.device(device))
