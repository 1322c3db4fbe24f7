"""Writes model.onnx: a stand-in for an emotion-hash-v1 model with a vocabulary column (input_ids [batch, tokens, 17]).

valence_probs = softmax([0.1 * sum of the vocabulary column, 0.1 * number of tokens with a word feature, 0]), so a test
can compute the expected probabilities from the vocabulary ids alone and see any column or padding mix-up.
Run with python3 (onnx >= 1.12) from this folder; the output is committed beside it.
"""
import onnx
from onnx import TensorProto, helper

W = 17  # max_subwords 16 + 1 vocabulary column

nodes = [
    helper.make_node("Constant", [], ["s16"], value=helper.make_tensor("s16", TensorProto.INT64, [1], [16])),
    helper.make_node("Constant", [], ["s17"], value=helper.make_tensor("s17", TensorProto.INT64, [1], [17])),
    helper.make_node("Constant", [], ["s0"], value=helper.make_tensor("s0", TensorProto.INT64, [1], [0])),
    helper.make_node("Constant", [], ["s1"], value=helper.make_tensor("s1", TensorProto.INT64, [1], [1])),
    helper.make_node("Constant", [], ["ax2"], value=helper.make_tensor("ax2", TensorProto.INT64, [1], [2])),
    helper.make_node("Constant", [], ["ax1"], value=helper.make_tensor("ax1", TensorProto.INT64, [1], [1])),
    helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("zero", TensorProto.INT64, [], [0])),
    helper.make_node("Constant", [], ["tenth"], value=helper.make_tensor("tenth", TensorProto.FLOAT, [], [0.1])),
    # vocabulary column [B, T, 1] -> sum over tokens [B, 1]
    helper.make_node("Slice", ["input_ids", "s16", "s17", "ax2"], ["vocab"]),
    helper.make_node("Cast", ["vocab"], ["vocab_f"], to=TensorProto.FLOAT),
    helper.make_node("ReduceSum", ["vocab_f", "ax1"], ["vocab_sum"], keepdims=0),
    # tokens: rows whose first feature id is not 0 (padding rows are all 0) -> count [B, 1]
    helper.make_node("Slice", ["input_ids", "s0", "s1", "ax2"], ["first"]),
    helper.make_node("Greater", ["first", "zero"], ["is_token"]),
    helper.make_node("Cast", ["is_token"], ["is_token_f"], to=TensorProto.FLOAT),
    helper.make_node("ReduceSum", ["is_token_f", "ax1"], ["tokens"], keepdims=0),
    helper.make_node("Mul", ["vocab_sum", "tenth"], ["l0"]),
    helper.make_node("Mul", ["tokens", "tenth"], ["l1"]),
    helper.make_node("Sub", ["l0", "l0"], ["l2"]),
    helper.make_node("Concat", ["l0", "l1", "l2"], ["logits"], axis=1),
    helper.make_node("Softmax", ["logits"], ["valence_probs"], axis=1),
]
graph = helper.make_graph(
    nodes, "vocab_column",
    [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens", W])],
    [helper.make_tensor_value_info("valence_probs", TensorProto.FLOAT, ["batch", 3])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], producer_name="Sentiment.Tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "model.onnx")
