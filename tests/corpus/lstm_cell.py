"""Student answers to lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh)."""
import warnings

import numpy as np

from . import correct, wrong


def _naive_sigmoid(t):
    return 1 / (1 + np.exp(-t))   # overflow warnings for large -t, right values


def _stable_sigmoid(t):
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1 / (1 + e), e / (1 + e))


@correct
def split(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = np.split(gates, 4, axis=1)
    c_new = _naive_sigmoid(f) * c + _naive_sigmoid(i) * np.tanh(g)
    return _naive_sigmoid(o) * np.tanh(c_new), c_new


@correct
def slices_stable(x, h, c, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    z = x @ W_ih.T + h @ W_hh.T + (b_ih + b_hh)
    i = _stable_sigmoid(z[:, :H])
    f = _stable_sigmoid(z[:, H:2 * H])
    g = np.tanh(z[:, 2 * H:3 * H])
    o = _stable_sigmoid(z[:, 3 * H:])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    return h_new, c_new


@correct
def per_gate_weights_einsum(x, h, c, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    names = "ifgo"
    pre = {}
    for k, name in enumerate(names):
        rows = slice(k * H, (k + 1) * H)
        pre[name] = (np.einsum("bi,hi->bh", x, W_ih[rows]) + np.einsum("bj,hj->bh", h, W_hh[rows])
                     + b_ih[rows] + b_hh[rows])
    sig = lambda t: 0.5 * (1 + np.tanh(t / 2))
    c_new = sig(pre["f"]) * c + sig(pre["i"]) * np.tanh(pre["g"])
    return sig(pre["o"]) * np.tanh(c_new), c_new


@wrong("mat1 and mat2 must have the same dtype")
def torch_lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    import torch
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(W_ih))
        cell.weight_hh.copy_(torch.from_numpy(W_hh))
        cell.bias_ih.copy_(torch.from_numpy(b_ih))
        cell.bias_hh.copy_(torch.from_numpy(b_hh))
        h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    return h_new.numpy(), c_new.numpy()


@correct
def chatty_logaddexp(x, h, c, W_ih, W_hh, b_ih, b_hh):
    print("LSTM step: batch", x.shape[0])
    warnings.warn("just a note", UserWarning)
    sigmoid = lambda t: np.exp(-np.logaddexp(0.0, -t))
    gates = np.matmul(x, W_ih.T) + np.matmul(h, W_hh.T) + b_ih + b_hh
    i, f, g, o = np.split(gates, 4, axis=-1)
    c_new = np.multiply(sigmoid(f), c) + np.multiply(sigmoid(i), np.tanh(g))
    return np.multiply(sigmoid(o), np.tanh(c_new)), c_new


def _step(order, *, c_from_h=False, tanh_out=True, use_b_hh=True):
    def answer(x, h, c, W_ih, W_hh, b_ih, b_hh):
        gates = x @ W_ih.T + b_ih + h @ W_hh.T + (b_hh if use_b_hh else 0)
        blocks = dict(zip(order, np.split(gates, 4, axis=1)))
        i, f, o = (_stable_sigmoid(blocks[k]) for k in "ifo")
        g = np.tanh(blocks["g"])
        c_new = f * (h if c_from_h else c) + i * g
        return o * (np.tanh(c_new) if tanh_out else c_new), c_new
    return answer


@wrong("gate order (i, f, o, g)")
def order_ifog(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return _step("ifog")(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("gate order (f, i, g, o)")
def order_figo(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return _step("figo")(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("c_new computed from h instead of c")
def c_from_h(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return _step("ifgo", c_from_h=True)(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("h_new = o ∘ c_new without the tanh")
def no_tanh(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return _step("ifgo", tanh_out=False)(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("the bias b_hh forgotten")
def forgets_b_hh(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return _step("ifgo", use_b_hh=False)(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("result should be a tuple")
def returns_list(x, h, c, W_ih, W_hh, b_ih, b_hh):
    return list(_step("ifgo")(x, h, c, W_ih, W_hh, b_ih, b_hh))


@wrong("changed its input c in place")
def updates_c_in_place(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = np.split(gates, 4, axis=1)
    c *= _stable_sigmoid(f)
    c += _stable_sigmoid(i) * np.tanh(g)
    return _stable_sigmoid(o) * np.tanh(c), c.copy()


@wrong("gate order (i, g, f, o)")
def order_igfo(x, h, c, W_ih, W_hh, b_ih, b_hh):
    # TensorFlow 1's LSTMCell splits its gates as i, j, f, o
    return _step("igfo")(x, h, c, W_ih, W_hh, b_ih, b_hh)


@wrong("h_new computed from the old c")
def h_from_old_c(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = np.split(gates, 4, axis=1)
    h_new = _stable_sigmoid(o) * np.tanh(c)
    c_new = _stable_sigmoid(f) * c + _stable_sigmoid(i) * np.tanh(g)
    return h_new, c_new


@wrong("sigmoid on the cell candidate g")
def sigmoid_on_every_gate(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = _stable_sigmoid(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
    i, f, g, o = np.split(gates, 4, axis=1)
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


@wrong("not implemented yet")
def unimplemented(x, h, c, W_ih, W_hh, b_ih, b_hh):
    raise NotImplementedError()


@correct
def torch_lstm_cell_in_the_input_dtype(x, h, c, W_ih, W_hh, b_ih, b_hh):
    import torch
    dtype = np.result_type(x, h, c, W_ih, W_hh, b_ih, b_hh)
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1]).to(torch.from_numpy(np.zeros(0, dtype)).dtype)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.from_numpy(W_ih))
        cell.weight_hh.copy_(torch.from_numpy(W_hh))
        cell.bias_ih.copy_(torch.from_numpy(b_ih))
        cell.bias_hh.copy_(torch.from_numpy(b_hh))
        h_new, c_new = cell(torch.from_numpy(x.astype(dtype)),
                            (torch.from_numpy(h.astype(dtype)), torch.from_numpy(c.astype(dtype))))
    return h_new.numpy(), c_new.numpy()


@wrong("W_ih @ x, the weights on the left")
def weights_on_the_left(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = W_ih @ x + b_ih + W_hh @ h + b_hh
    i, f, g, o = np.split(gates, 4)
    c_new = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(g)
    return 1 / (1 + np.exp(-o)) * np.tanh(c_new), c_new
