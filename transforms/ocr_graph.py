"""The OCR models' ONNX graphs with their per-pixel arithmetic folded into their convolutions.

rapidocr's detector (PP-OCRv4's DBNet on a PP-LCNetV3 backbone, exported by paddle2onnx; the
recogniser's backbone is of the same kind) runs each convolution as Conv, a learnable affine
block (Mul by a scalar, Add a scalar), hard-swish spelt out in four ops (Add 3, Clip 0-6, Mul,
Div 6) and a second affine block: eight passes over the activations per convolution, which
onnxruntime neither fuses nor keeps in its blocked layout (each costs a reorder out and back).
The same function in fewer ops:
- an affine block after a convolution goes into its weights and bias (w a, bias a + b);
- hard-swish becomes x * HardSigmoid(x) (alpha 1/6, beta 1/2: clip(x + 3, 0, 6) / 6), which
  onnxruntime fuses into the convolution before it (no node of either is left in a profile);
- an affine block before a 1x1 convolution without padding goes into that convolution's
  weights and bias (w c, bias + d sum(w)); before a padded one (whose zero padding would
  become d at the borders) it becomes a depthwise 1x1 convolution, which onnxruntime runs in
  its blocked layout as one pass.
On the bench input's samples and bands the map moves by at most 3e-5 (float rounding), the
binarised map (rapidocr's 0.3) not at all, and a run costs 0.73-0.79x the CPU (one thread);
the recogniser's character scores move by 5e-6 (the same characters) at 0.67x the CPU.

onnx itself is not a dependency, so the graph is read and written with protobuf from the few
fields of onnx.proto this needs; protobuf keeps the fields it does not know as they were.
"""

from __future__ import annotations

import functools

import numpy as np

FLOAT = 1  # onnx TensorProto.FLOAT and AttributeProto.FLOAT
INT, INTS = 2, 7  # onnx AttributeProto types


@functools.cache
def _model_class():
    """A protobuf class for onnx's ModelProto, knowing only the fields read or written here
    (numbers and types as onnx.proto gives them)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(
        name="cliploom_onnx_subset.proto", package="cliploom_onnx", syntax="proto2"
    )
    messages = {
        "Tensor": [
            (1, "dims", field.TYPE_INT64, True),
            (2, "data_type", field.TYPE_INT32, False),
            (4, "float_data", field.TYPE_FLOAT, True),
            (8, "name", field.TYPE_STRING, False),
            (9, "raw_data", field.TYPE_BYTES, False),
        ],
        "Attribute": [
            (1, "name", field.TYPE_STRING, False),
            (2, "f", field.TYPE_FLOAT, False),
            (3, "i", field.TYPE_INT64, False),
            (5, "t", "Tensor", False),
            (8, "ints", field.TYPE_INT64, True),
            (20, "type", field.TYPE_INT32, False),
        ],
        "Node": [
            (1, "input", field.TYPE_STRING, True),
            (2, "output", field.TYPE_STRING, True),
            (3, "name", field.TYPE_STRING, False),
            (4, "op_type", field.TYPE_STRING, False),
            (5, "attribute", "Attribute", True),
            (7, "domain", field.TYPE_STRING, False),
        ],
        "Graph": [(1, "node", "Node", True), (5, "initializer", "Tensor", True)],
        "Model": [(7, "graph", "Graph", False)],
    }
    for name, fields in messages.items():
        message = proto.message_type.add(name=name)
        for number, fname, kind, repeated in fields:
            f = message.field.add(name=fname, number=number)
            f.label = field.LABEL_REPEATED if repeated else field.LABEL_OPTIONAL
            if isinstance(kind, str):
                f.type, f.type_name = field.TYPE_MESSAGE, f".cliploom_onnx.{kind}"
            else:
                f.type = kind
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("cliploom_onnx.Model"))


def _array(tensor) -> np.ndarray | None:
    """A float32 tensor's values, or None for another type."""
    if tensor.data_type != FLOAT:
        return None
    if tensor.raw_data:
        values = np.frombuffer(tensor.raw_data, "<f4")
    else:
        values = np.array(tensor.float_data, np.float32)
    return values.reshape(tuple(tensor.dims))


class _Graph:
    """The graph's nodes in order, its constants (initializers and Constant nodes' values) and
    who reads each value."""

    def __init__(self, graph):
        self.graph = graph
        self.nodes = list(graph.node)
        self.values: dict[str, np.ndarray] = {}
        for t in graph.initializer:
            if (a := _array(t)) is not None:
                self.values[t.name] = a
        for n in self.nodes:
            value = n.attribute[0] if n.op_type == "Constant" and n.attribute else None
            if value is not None and value.name == "value" and (a := _array(value.t)) is not None:
                self.values[n.output[0]] = a
        self.readers: dict[str, list] = {}
        self.index_readers()
        self.dropped: set[int] = set()
        self.producers: dict[str, object] = {}

    def index_readers(self) -> None:
        """Who reads each value, over `nodes` as they are now."""
        self.readers = {}
        for n in self.nodes:
            for name in n.input:
                self.readers.setdefault(name, []).append(n)

    def scalar(self, name: str) -> float | None:
        value = self.values.get(name)
        return float(value.reshape(-1)[0]) if value is not None and value.size == 1 else None

    def only_reader(self, name: str, op_type: str):
        readers = [n for n in self.readers.get(name, []) if id(n) not in self.dropped]
        return readers[0] if len(readers) == 1 and readers[0].op_type == op_type else None

    def affine_after(self, name: str):
        """(Mul, Add, a, b) where `name` is read only by Mul(a, name) whose result only by
        Add(., b), a and b scalar constants; None elsewhere."""
        mul = self.only_reader(name, "Mul")
        if mul is None or len(mul.input) != 2:
            return None
        a = self.scalar(mul.input[0] if mul.input[1] == name else mul.input[1])
        add = self.only_reader(mul.output[0], "Add")
        if a is None or add is None or len(add.input) != 2:
            return None
        b = self.scalar(add.input[0] if add.input[1] == mul.output[0] else add.input[1])
        return None if b is None else (mul, add, a, b)

    def add_tensor(self, name: str, values: np.ndarray) -> str:
        tensor = self.graph.initializer.add(name=name, data_type=FLOAT)
        tensor.dims.extend(values.shape)
        tensor.raw_data = np.ascontiguousarray(values, "<f4").tobytes()
        self.values[name] = values
        return name

    def conv_params(self, conv) -> tuple[np.ndarray, np.ndarray] | None:
        weights = self.values.get(conv.input[1])
        if weights is None:
            return None
        bias = self.values.get(conv.input[2]) if len(conv.input) > 2 else None
        if len(conv.input) > 2 and bias is None:
            return None
        return weights, np.zeros(weights.shape[0], np.float32) if bias is None else bias

    def fold_affine_into_conv(self, conv) -> bool:
        """Conv -> Mul a -> Add b as one Conv (weights a w, bias a bias + b)."""
        found, params = self.affine_after(conv.output[0]), self.conv_params(conv)
        if found is None or params is None:
            return False
        mul, add, a, b = found
        weights, bias = params
        name = conv.output[0]
        conv.input[1:] = [
            self.add_tensor(f"{name}.folded_w", weights * np.float32(a)),
            self.add_tensor(f"{name}.folded_b", bias * np.float32(a) + np.float32(b)),
        ]
        conv.output[0] = add.output[0]
        self.dropped |= {id(mul), id(add)}
        return True

    def hard_swish_at(self, add) -> tuple | None:
        """(x, [Add, Clip, Mul, Div]) where `add` opens x * clip(x + 3, 0, 6) / 6."""
        if add.op_type != "Add" or len(add.input) != 2 or self.scalar(add.input[1]) != 3.0:
            return None
        x = add.input[0]
        clip = self.only_reader(add.output[0], "Clip")
        if clip is None or [self.scalar(v) for v in clip.input[1:]] != [0.0, 6.0]:
            return None
        mul = self.only_reader(clip.output[0], "Mul")
        if mul is None or x not in mul.input:
            return None
        div = self.only_reader(mul.output[0], "Div")
        if div is None or div.input[0] != mul.output[0] or self.scalar(div.input[1]) != 6.0:
            return None
        return x, [add, clip, mul, div]

    def fold_affine_into_next_conv(self, node) -> bool:
        """node -> Mul c -> Add d -> a 1x1 Conv without padding, the affine step in the Conv
        (weights c w, bias bias + d sum(w))."""
        found = self.affine_after(node.output[0])
        if found is None:
            return False
        mul, add, c, d = found
        conv = self.only_reader(add.output[0], "Conv")
        params = conv and self.conv_params(conv)
        if not params:
            return False
        attrs = {a.name: a for a in conv.attribute}
        pointwise = list(attrs["kernel_shape"].ints) == [1, 1] if "kernel_shape" in attrs else False
        padded = "pads" in attrs and any(attrs["pads"].ints)
        if not pointwise or padded or attrs.get("auto_pad") is not None:
            return False
        if "group" in attrs and attrs["group"].i != 1:
            return False
        weights, bias = params
        name = conv.output[0]
        conv.input[:] = [
            node.output[0],
            self.add_tensor(f"{name}.prefolded_w", weights * np.float32(c)),
            self.add_tensor(
                f"{name}.prefolded_b", bias + np.float32(d) * weights.sum(axis=(1, 2, 3))
            ),
        ]
        self.dropped |= {id(mul), id(add)}
        return True

    def channels(self, name: str) -> int | None:
        """The channel count of the value `name`, from the Conv it comes from through
        element-wise ops; None where that is not known."""
        for _ in range(16):
            node = self.producers.get(name)
            if node is None:
                return None
            if node.op_type == "Conv":  # a 2-d one (4-d weights), as the 1x1 Conv will be
                weights = self.values.get(node.input[1])
                return None if weights is None or weights.ndim != 4 else int(weights.shape[0])
            if node.op_type not in ("Mul", "Add", "HardSigmoid", "Relu", "Clip", "Div"):
                return None
            name = next((v for v in node.input if v not in self.values), "")
        return None

    def affine_as_conv(self, mul) -> object | None:
        """Mul c -> Add d that no convolution could take in (before a padded one, whose zero
        padding would become d) as one depthwise 1x1 Conv (weights c, bias d): one pass over
        the activations that onnxruntime keeps in its blocked layout, where Mul and Add were
        two passes and a reorder out and back."""
        x = next((v for v in mul.input if v not in self.values), None)
        found = x and self.affine_after(x)
        if not found or found[0] is not mul:
            return None
        _, add, c, d = found
        count = self.channels(x)
        if count is None:
            return None
        out = add.output[0]
        conv = self.graph.node.add(op_type="Conv", name=out)
        conv.input.extend(
            [
                x,
                self.add_tensor(f"{out}.affine_w", np.full((count, 1, 1, 1), c, np.float32)),
                self.add_tensor(f"{out}.affine_b", np.full(count, d, np.float32)),
            ]
        )
        conv.output.append(out)
        conv.attribute.add(name="group", i=count, type=INT)
        conv.attribute.add(name="kernel_shape", ints=[1, 1], type=INTS)
        self.dropped |= {id(mul), id(add)}
        return conv


def fold_graph(model: bytes) -> tuple[bytes, dict[str, int]]:
    """(the serialized ONNX `model` with its affine blocks and hard-swishes folded as the module
    says, how many of each were folded). A model without these patterns comes back unchanged."""
    parsed = _model_class().FromString(model)
    g = _Graph(parsed.graph)
    counts = {"conv_affine": 0, "hard_swish": 0, "affine_conv": 0, "affine_depthwise": 0}
    for conv in [n for n in g.nodes if n.op_type == "Conv"]:
        counts["conv_affine"] += g.fold_affine_into_conv(conv)
    nodes = []
    for n in g.nodes:
        if id(n) in g.dropped:
            continue
        found = g.hard_swish_at(n)
        if found is None:
            nodes.append(n)
            continue
        x, ops = found
        g.dropped |= {id(op) for op in ops}
        out = ops[-1].output[0]
        gate = parsed.graph.node.add(op_type="HardSigmoid", name=f"{out}.gate")
        gate.input.append(x)
        gate.output.append(f"{out}.gate")
        for name, value in (("alpha", 1 / 6), ("beta", 0.5)):
            gate.attribute.add(name=name, f=value, type=FLOAT)
        product = parsed.graph.node.add(op_type="Mul", name=out)
        product.input.extend([x, f"{out}.gate"])
        product.output.append(out)
        nodes += [gate, product]
        counts["hard_swish"] += 1
    g.nodes = nodes
    g.index_readers()
    for n in list(nodes):
        if n.op_type in ("Mul", "Relu") and id(n) not in g.dropped:
            counts["affine_conv"] += g.fold_affine_into_next_conv(n)
    g.producers = {v: n for n in nodes if id(n) not in g.dropped for v in n.output}
    placed = []
    for n in nodes:
        conv = g.affine_as_conv(n) if n.op_type == "Mul" and id(n) not in g.dropped else None
        placed.append(conv or n)
        counts["affine_depthwise"] += conv is not None
    nodes = placed
    used = {name for n in nodes if id(n) not in g.dropped for name in n.input}
    kept = [
        n
        for n in nodes
        if id(n) not in g.dropped and (n.op_type != "Constant" or n.output[0] in used)
    ]
    # As bytes first: a message taken out of its repeated field is not to be reused.
    kept = [n.SerializeToString() for n in kept]
    initializers = [t.SerializeToString() for t in parsed.graph.initializer if t.name in used]
    for field, items in ((parsed.graph.node, kept), (parsed.graph.initializer, initializers)):
        del field[:]
        for item in items:
            field.add().MergeFromString(item)
    return parsed.SerializeToString(), counts
