from cart.models import Cart, CartItem


def fill_cart(user, *lines) -> Cart:
    """Put (product, quantity) lines in the user's cart, as the cart API would."""
    cart, _ = Cart.objects.get_or_create(user=user)
    for product, quantity in lines:
        CartItem.objects.create(cart=cart, product=product, quantity=quantity)
    return cart
