"""Load the demo catalog, and optionally N generated products for load tests; in development, also a
few weeks of demo orders and, while the shop has no staff account, a staff login. Safe to run again."""

import functools
import io
import random
import secrets
import textwrap
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFont

from accounts.models import User
from catalog import demo_data
from catalog.cache import catalog_changed
from catalog.demo_data import DemoProduct
from catalog.models import Category, Product
from catalog.services import category_create, product_create, product_update, search_words_add
from orders.demo import demo_trade_ensure
from orders.demo_data import DAYS

GENERATED_PREFIX = "lxh-item-"
GENERATED_SEED = 20_240_601  # fixed: every run generates the same product for the same slug
BATCH_SIZE = 5_000
IMAGE_SIZE = (800, 600)
DEMO_SLUGS = [slugify(demo.name) for demo in demo_data.PRODUCTS]  # product_create makes each from the name
DEMO_STAFF_EMAIL = "staff@luxyhome.example"


class Command(BaseCommand):
    help = (
        "Create the demo catalog (8 categories, 40 products with images) where it is missing, without "
        "touching rows that exist. --products N also makes sure N generated products exist, for load tests. "
        "In development (DEBUG on, DJANGO_ENV not production) also demo orders, once, and a staff login "
        "while no staff account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help="generated products (lxh-item-000001 ...) to have besides the demo ones; only missing ones are made",
        )

    def handle(self, *args, products: int, **options):
        if products < 0:
            raise CommandError("--products must be 0 or more.")
        with transaction.atomic():
            categories, categories_created = ensure_categories()
            demo_created, images_created = ensure_demo_products(categories)
        generated = self.ensure_generated_products(products, categories) if products else 0
        self.stdout.write(
            f"Demo catalog: {categories_created} categories created, {demo_created + generated:,} products created "
            f"({demo_created} demo, {generated:,} generated), {images_created} images created."
        )
        # made-up sales in a shop's figures, or a password in its logs, have no place outside development
        if settings.DEBUG and not settings.PRODUCTION:
            self.development_demo()

    def development_demo(self) -> None:
        trade = demo_trade_ensure(products=list(Product.objects.filter(slug__in=DEMO_SLUGS).active()))
        if trade is None:
            self.stdout.write("Demo orders: 0 orders created (they exist already).")
        else:
            self.stdout.write(
                f"Demo orders: {trade.orders} orders of {trade.shoppers} shoppers over the last {DAYS} days; "
                f"their carts held lines {trade.carts} times."
            )
        password = ensure_demo_staff()
        if password:
            self.stdout.write(
                f"Demo staff login for /admin/: {DEMO_STAFF_EMAIL}, password {password}\n"
                f"  (shown this once; `python manage.py changepassword {DEMO_STAFF_EMAIL}` sets another)"
            )

    def ensure_generated_products(self, count: int, categories: dict[str, Category]) -> int:
        """Insert the missing ones of generated products 1..count in batches; returns how many."""
        existing = set(Product.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("slug", flat=True))
        missing = [n for n in range(1, count + 1) if generated_slug(n) not in existing]
        if not missing:
            return 0
        images = demo_images_by_category()
        wanted = set(missing)
        batch, created = [], 0
        for number, fields in enumerate(generated_products(missing[-1]), start=1):
            if number not in wanted:
                continue
            category, pick = fields.pop("category"), fields.pop("image_pick")
            choices = images.get(category) or [""]
            batch.append(Product(category=categories[category], image=choices[pick % len(choices)], **fields))
            if len(batch) == BATCH_SIZE or number == missing[-1]:
                Product.objects.bulk_create(batch)
                search_words_add(names=[product.name for product in batch])
                created += len(batch)
                batch = []
                self.progress(created, len(missing))
        self.stdout.write("")
        catalog_changed()  # bulk_create bypasses the services, which would retire the cached answers
        return created

    def progress(self, done: int, total: int) -> None:
        filled = 30 * done // total
        bar = "#" * filled + "." * (30 - filled)
        self.stdout.write(f"\rGenerated products [{bar}] {done:,}/{total:,}", ending="")
        self.stdout.flush()


def ensure_demo_staff() -> str | None:
    """A superuser to sign in to the admin with, while the shop has no staff account; its new random
    password, or None when nothing was made. An account that holds the address already is never promoted."""
    taken = User.objects.filter(Q(is_staff=True) | Q(is_superuser=True)).exists()
    if taken or User.objects.with_email(DEMO_STAFF_EMAIL).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(DEMO_STAFF_EMAIL, password, name="Demo Staff")
    return password


def ensure_categories() -> tuple[dict[str, Category], int]:
    """The demo categories by slug, creating the missing ones; a category renamed by staff keeps its name."""
    categories, created = {}, 0
    for slug, name in demo_data.CATEGORIES.items():
        category = Category.objects.filter(slug=slug).first() or Category.objects.filter(name=name).first()
        if category is None:
            category = category_create(name=name, slug=slug)
            created += 1
        categories[slug] = category
    return categories, created


def ensure_demo_products(categories: dict[str, Category]) -> tuple[int, int]:
    """Create the missing demo products and give an image to those without one; existing rows keep
    every other field as staff left them. Returns (products created, images created)."""
    existing = {p.slug: p for p in Product.objects.filter(slug__in=DEMO_SLUGS)}
    created = images = 0
    for slug, demo in zip(DEMO_SLUGS, demo_data.PRODUCTS, strict=True):
        product = existing.get(slug)
        if product is None:
            product_create(
                name=demo.name,
                price=demo.price,
                description=demo.description,
                stock=demo.stock,
                category=categories[demo.category],
                image=demo_image(demo),
            )
            created += 1
            images += 1
        elif not product.image:
            product_update(product=product, image=demo_image(demo))
            images += 1
    return created, images


def demo_images_by_category() -> dict[str, list[str]]:
    """The stored image names of the demo products, by category slug, for generated products to share."""
    names: dict[str, list[str]] = {}
    rows = Product.objects.filter(slug__in=DEMO_SLUGS).exclude(image="")
    for category, image in rows.order_by("slug").values_list("category__slug", "image"):
        names.setdefault(category, []).append(image)
    return names


def generated_products(count: int):
    """The fields of generated products 1..count: the same ones on every run (a fixed seed)."""
    rng = random.Random(GENERATED_SEED)
    category_slugs = list(demo_data.CATEGORIES)
    for number in range(1, count + 1):
        category = rng.choice(category_slugs)
        adjective, material = rng.choice(demo_data.GENERATED_ADJECTIVES), rng.choice(demo_data.GENERATED_MATERIALS)
        thing, detail = rng.choice(demo_data.GENERATED_OBJECTS[category]), rng.choice(demo_data.GENERATED_DETAILS)
        yield {
            "name": f"{adjective} {material} {thing}",
            "slug": generated_slug(number),
            "description": f"A {adjective.lower()} {thing.lower()} in {material.lower()}. {detail}",
            "price": Decimal(rng.randrange(48, 3_700) * 5),  # 240.00 to 18,495.00
            "stock": 0 if rng.random() < 0.08 else rng.randint(1, 40),
            "category": category,
            "image_pick": rng.randrange(1_000),  # which of the category's demo images it shows
        }


def generated_slug(number: int) -> str:
    return f"{GENERATED_PREFIX}{number:06d}"


def demo_image(demo: DemoProduct) -> ContentFile:
    """An 800x600 JPEG: a soft diagonal gradient in the product's colour, an arc, a frame and its name."""
    colour = ImageColor.getrgb(demo.colour)
    lighter = tuple(min(255, c + 30) for c in colour)
    darker = tuple(int(c * 0.78) for c in colour)
    gradient, ornaments = backdrop_masks()
    image = Image.composite(Image.new("RGB", IMAGE_SIZE, darker), Image.new("RGB", IMAGE_SIZE, lighter), gradient)
    dark_background = sum(c * w for c, w in zip(colour, (0.299, 0.587, 0.114), strict=True)) < 150
    ink = (246, 241, 232) if dark_background else (40, 36, 32)
    image.paste(ink, mask=ornaments)

    draw = ImageDraw.Draw(image)
    lines = textwrap.wrap(demo.name, width=22)
    top = 270 - 29 * len(lines)
    for index, line in enumerate(lines):
        draw.text((400, top + 58 * index), line, font=ImageFont.load_default(size=46), fill=ink, anchor="mt")
    rule = top + 58 * len(lines) + 30
    draw.line((370, rule, 430, rule), fill=ink, width=1)
    draw.text((400, 520), "L U X Y H O M E", font=ImageFont.load_default(size=16), fill=ink, anchor="mm")

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return ContentFile(buffer.getvalue(), name=f"{slugify(demo.name)}.jpg")


@functools.cache
def backdrop_masks() -> tuple[Image.Image, Image.Image]:
    """The masks every demo image shares: a diagonal gradient, and its ornaments (an arc, a disc, a frame)."""
    vertical = Image.linear_gradient("L")
    gradient = ImageChops.add(vertical.resize(IMAGE_SIZE), vertical.rotate(90).resize(IMAGE_SIZE), scale=2)
    ornaments = Image.new("L", IMAGE_SIZE)
    draw = ImageDraw.Draw(ornaments)
    draw.ellipse((430, -260, 1050, 360), outline=60, width=2)
    draw.ellipse((-180, 380, 260, 820), fill=18)
    draw.rectangle((28, 28, 771, 571), outline=110, width=1)
    return gradient, ornaments
