"""Expression evaluation: scopes, values of expressions, and traversals read from expressions.

from kiln.lang.eval import EvalContext, evaluate
value, diags = evaluate(expr, EvalContext({"var": variables}, functions))
"""

from kiln.lang.eval.context import EvalContext, ExpressionContext, describe_value, expression_value_lines
from kiln.lang.eval.expressions import evaluate, literal_value
from kiln.lang.eval.static import StaticCall, expr_call, expr_list, expr_map
from kiln.lang.eval.traversals import (
    abs_traversal_for_expr,
    expr_as_keyword,
    get_attr,
    index,
    rel_traversal_for_expr,
    traversal_for_expr,
    traverse_abs,
    traverse_rel,
)

__all__ = [
    "EvalContext",
    "ExpressionContext",
    "StaticCall",
    "abs_traversal_for_expr",
    "describe_value",
    "evaluate",
    "expr_as_keyword",
    "expr_call",
    "expr_list",
    "expr_map",
    "expression_value_lines",
    "get_attr",
    "index",
    "literal_value",
    "rel_traversal_for_expr",
    "traversal_for_expr",
    "traverse_abs",
    "traverse_rel",
]
