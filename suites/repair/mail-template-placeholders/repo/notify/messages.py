"""Message templates per event and their rendering into subject + body."""

from .template import TemplateError, placeholders, render

TEMPLATES = {
    "order_shipped": {
        "subject": "Your order {{ order.id }} has shipped",
        "body": "Hello {{ customer.first_name }},\n\n"
        "Good news: order {{ order.id }} is on its way to {{ order.city }} via {{ order.carrier }}.\n"
        "Total charged: {{ order.currency }} {{ order.total|money }}\n",
    },
    "password_reset": {
        "subject": "Reset your password",
        "body": "Hi {{ customer.first_name|title }}, use this link within 30 minutes:\n{{ link }}\n",
    },
}


def validate(template, allowed):
    unknown = [p for p in placeholders(template) if p.split(".")[0] not in allowed]
    if unknown:
        raise TemplateError("template uses unknown variables: %s" % ", ".join(unknown))


def build_message(event, context):
    try:
        spec = TEMPLATES[event]
    except KeyError:
        raise TemplateError("no template for event %r" % event) from None
    return render(spec["subject"], context), render(spec["body"], context)
