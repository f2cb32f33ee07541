"""The staff catalog dashboard. Every write goes through catalog.services, so it bumps the
catalog cache version on commit exactly as an API write does."""

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import ngettext

from catalog.images import product_image_clean
from catalog.models import Category, Product
from catalog.services import (
    category_create,
    category_delete,
    category_update,
    product_create,
    product_update,
    products_set_active,
)


def _form_values(obj: models.Model, fields) -> dict:
    # the admin has already put the cleaned values on obj, files and the "clear" box included
    return {field: getattr(obj, field) for field in fields}


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """The admin goes on with its own instance (log entry, redirect): make it the saved row."""
    obj.__dict__.update(saved.__dict__)


def _image(product: Product, size: int):
    if not product.image:
        return "—"
    return format_html(
        '<img src="{}" alt="" style="width:{}px;height:{}px;object-fit:cover;border-radius:4px">',
        product.image.url,
        size,
        size,
    )


class InStockListFilter(admin.SimpleListFilter):
    title = "in stock"
    parameter_name = "in_stock"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_stock()
        if self.value() == "no":
            return queryset.sold_out()
        return queryset


class ActiveListFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("archived", "Archived")]

    def queryset(self, request, queryset):
        if self.value() in ("active", "archived"):
            return queryset.filter(is_active=self.value() == "active")
        return queryset


class ProductAdminForm(forms.ModelForm):
    def clean_image(self):
        image = self.cleaned_data["image"]
        # a new upload is stored as the API stores one; else it is the kept image, or False when cleared
        return product_image_clean(image) if isinstance(image, UploadedFile) else image


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    # what the file is decides (catalog.images), not its name, which Django's image field would check
    formfield_overrides = {models.ImageField: {"form_class": forms.FileField}}
    list_display = ["thumbnail", "name", "category", "price", "stock", "in_stock", "active", "updated_at"]
    list_display_links = ["name"]
    list_editable = ["price", "stock"]
    list_filter = [ActiveListFilter, InStockListFilter, "category"]
    list_select_related = ["category"]
    list_per_page = 50
    search_fields = ["name", "slug", "description"]
    actions = ["archive_products", "restore_products"]
    readonly_fields = ["slug", "image_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "description"]}),
        ("Price and stock", {"fields": ["price", "stock", "is_active"]}),
        ("Image", {"fields": ["image", "image_preview"]}),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    # the slug is made by product_create from the name
    add_fieldsets = [
        (None, {"fields": ["name", "category", "description"]}),
        ("Price and stock", {"fields": ["price", "stock", "is_active"]}),
        ("Image", {"fields": ["image"]}),
    ]

    @admin.display(description="image")
    def thumbnail(self, product: Product):
        return _image(product, 48)

    @admin.display(description="preview")
    def image_preview(self, product: Product):
        return _image(product, 240)

    @admin.display(description="in stock", boolean=True, ordering="stock")
    def in_stock(self, product: Product) -> bool:
        return product.in_stock

    @admin.display(description="active", boolean=True, ordering="is_active")
    def active(self, product: Product) -> bool:
        return product.is_active

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        # the change form and the list_editable rows both land here
        if change:
            product_update(product=obj, **_form_values(obj, form.changed_data))
        else:
            _adopt(obj, product_create(**_form_values(obj, form.cleaned_data)))

    def has_delete_permission(self, request, obj=None):
        # orders will point at products: archive instead, so order history stays whole
        return False

    @admin.action(description="Archive selected products")
    def archive_products(self, request, queryset):
        count = products_set_active(products=queryset, active=False)
        self.message_user(
            request, ngettext("%d product archived.", "%d products archived.", count) % count, messages.SUCCESS
        )

    @admin.action(description="Restore selected products")
    def restore_products(self, request, queryset):
        count = products_set_active(products=queryset, active=True)
        self.message_user(
            request, ngettext("%d product restored.", "%d products restored.", count) % count, messages.SUCCESS
        )


class CategoryAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # category_create makes one from the name, as the API does without JS prepopulation
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Left blank, it is made from the name."


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["name", "slug", "product_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="products", ordering="product_count")
    def product_count(self, category: Category) -> int:
        return category.product_count

    def save_model(self, request, obj, form, change):
        if change:
            category_update(category=obj, **_form_values(obj, form.changed_data))
        else:
            _adopt(obj, category_create(name=obj.name, slug=obj.slug or None))

    def delete_model(self, request, obj):
        category_delete(category=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for category in queryset:
                category_delete(category=category)
