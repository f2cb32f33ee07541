"""The demo catalog seed_demo loads, and the word lists it builds generated products from.

Plain data only: the command decides what exists already and what to create.
"""

# ruff: noqa: RUF001 - shop copy gives dimensions with the multiplication sign, as printed catalogues do

from decimal import Decimal
from typing import NamedTuple


class DemoProduct(NamedTuple):
    name: str  # the slug is made from it, and seed_demo matches existing rows by that slug
    category: str  # a slug of CATEGORIES
    price: Decimal
    stock: int
    colour: str  # background of its generated image
    description: str


CATEGORIES = {
    "sofas": "Sofas",
    "chairs": "Chairs",
    "tables": "Tables",
    "lighting": "Lighting",
    "rugs": "Rugs",
    "bedding": "Bedding",
    "decor": "Decor",
    "outdoor": "Outdoor",
}

PRODUCTS = (
    # --- sofas
    DemoProduct(
        "Emerald Velvet Sofa", "sofas", Decimal("8400.00"), 4, "#1f4d3a",
        "A three-seat sofa upholstered in deep emerald cotton velvet over a kiln-dried beech frame, with "
        "eight-way hand-tied springs and feather-wrapped seat cushions. Solid brass sabots finish the tapered "
        "walnut legs. 228 × 98 × 78 cm.",
    ),
    DemoProduct(
        "Ivory Bouclé Curved Sofa", "sofas", Decimal("9600.00"), 2, "#d9d1c3",
        "A sweeping crescent in ivory wool bouclé woven in Belgium, built on a hardwood frame with a sinuous-spring "
        "base. The low back and deep seat are made for long conversations. 260 × 105 × 72 cm.",
    ),
    DemoProduct(
        "Cognac Leather Chesterfield Sofa", "sofas", Decimal("11200.00"), 0, "#8a4b2a",
        "Full-grain aniline leather in cognac, hand-buttoned and deep-tufted across the back and rolled arms by "
        "upholsterers in Lancashire. Each brass nailhead is set by hand, and the leather darkens and softens with "
        "the years. 215 × 92 × 74 cm.",
    ),
    DemoProduct(
        "Oatmeal Linen Modular Sectional", "sofas", Decimal("14800.00"), 3, "#c8b9a0",
        "Five modules in washed Belgian linen with removable, pre-shrunk covers and down-blend cushions over "
        "high-resilience foam. Concealed steel connectors let it become an L or a long chaise. "
        "340 × 240 × 70 cm as shown.",
    ),
    DemoProduct(
        "Taupe Mohair Daybed", "sofas", Decimal("6900.00"), 5, "#7d6b5d",
        "A backless daybed in taupe mohair velvet on a plinth of smoked oak, with one tailored bolster. Mohair "
        "resists crushing and wears for decades. 190 × 80 × 42 cm.",
    ),
    # --- chairs
    DemoProduct(
        "Walnut Lounge Chair and Ottoman", "chairs", Decimal("7450.00"), 3, "#5a3a22",
        "Moulded walnut shells of seven pressed veneers on a polished aluminium swivel base, with cushions in "
        "black semi-aniline leather. Finished with a hard-wax oil that deepens with age. Chair 84 × 85 × 83 cm.",
    ),
    DemoProduct(
        "Burgundy Velvet Armchair", "chairs", Decimal("2850.00"), 6, "#6b2d3c",
        "Burgundy velvet stitched into vertical channels over a barrel-back frame, on a slim brushed-brass base. "
        "The channels are filled with feather and fibre, so the back softens without losing its lines. "
        "76 × 80 × 74 cm.",
    ),
    DemoProduct(
        "Ash and Cane Dining Chair", "chairs", Decimal("840.00"), 10, "#b08d57",
        "A steam-bent solid ash frame with a backrest of hand-woven Vienna straw cane and a seat upholstered in "
        "natural linen. 48 × 54 × 80 cm, seat height 46 cm.",
    ),
    DemoProduct(
        "Shearling Accent Chair", "chairs", Decimal("3200.00"), 0, "#e6dfd2",
        "A compact, low-slung chair wrapped entirely in cream Merino shearling over a solid oak frame. The hides "
        "are tanned in Spain without chromium, and each curl is a little different. 72 × 78 × 70 cm.",
    ),
    DemoProduct(
        "Rattan Peacock Chair", "chairs", Decimal("1950.00"), 4, "#a47c48",
        "Natural rattan hand-woven on a bent-pole frame, its fan back brought down to a height you can lean "
        "against. Finished in a clear matte lacquer, with a linen seat cushion. 92 × 70 × 128 cm.",
    ),
    # --- tables
    DemoProduct(
        "Travertine Coffee Table", "tables", Decimal("4600.00"), 5, "#d8c7a8",
        "Cut from a single block of Roman travertine, honed and filled to a smooth matte surface, on two solid "
        "travertine plinths. Sealed against stains; no two tables share the same veining. 130 × 70 × 35 cm, "
        "about 140 kg.",
    ),
    DemoProduct(
        "White Oak Extending Dining Table", "tables", Decimal("6200.00"), 3, "#9c7a54",
        "Solid European white oak with a hand-rubbed oil finish and traditional mortise-and-tenon joinery. A "
        "butterfly leaf folds out of the top to seat ten instead of six. 200 (280) × 100 × 75 cm.",
    ),
    DemoProduct(
        "Nero Marquina Marble Side Table", "tables", Decimal("1450.00"), 8, "#262626",
        "Black Nero Marquina marble with bold white veining, turned into a tulip pedestal under a bevel-edged "
        "top. Polished to a high gloss and sealed. Ø 50 × 55 cm.",
    ),
    DemoProduct(
        "Olive Ash Burl Console", "tables", Decimal("5800.00"), 0, "#7b4a2a",
        "A slim console veneered in bookmatched olive ash burl under sixteen coats of high-gloss lacquer, each "
        "rubbed back by hand. Recessed bronze feet make it seem to float. 160 × 40 × 80 cm.",
    ),
    DemoProduct(
        "Aubergine Lacquer Nesting Tables", "tables", Decimal("1980.00"), 7, "#3b1f2b",
        "Three nesting tables in deep aubergine lacquer over birch plywood, with softened edges and gently "
        "splayed legs. They tuck into one footprint or scatter around a sofa. Largest 55 × 45 × 50 cm.",
    ),
    # --- lighting
    DemoProduct(
        "Brushed Brass Arc Floor Lamp", "lighting", Decimal("2400.00"), 6, "#8c7335",
        "A solid brass arc reaching 190 cm over a sofa, balanced by a Carrara marble base. The spun-brass shade "
        "is brushed by hand; a foot dimmer and one E27 bulb. Height 210 cm.",
    ),
    DemoProduct(
        "Alabaster Pendant Light", "lighting", Decimal("3100.00"), 4, "#e9dfcf",
        "A bowl hand-carved from Spanish alabaster two centimetres thick, glowing warm when lit. It hangs from an "
        "aged-brass ceiling rose on adjustable rods. Ø 45 cm, drop up to 150 cm.",
    ),
    DemoProduct(
        "Murano Glass Chandelier", "lighting", Decimal("18500.00"), 1, "#5e7f86",
        "Twelve arms of mouth-blown Murano glass in clear and smoked amber, shaped at the furnace in a workshop on "
        "the island. Every piece is signed, and a specialist assembles it in your home. Ø 110 × 90 cm.",
    ),
    DemoProduct(
        "Fluted Ceramic Table Lamp", "lighting", Decimal("680.00"), 12, "#cfc4b1",
        "A fluted stoneware base glazed in bone white under a hand-stitched Irish linen drum shade. Wired with a "
        "braided cotton cord and an in-line dimmer. 38 × 38 × 66 cm.",
    ),
    DemoProduct(
        "Smoked Glass Wall Sconce", "lighting", Decimal("540.00"), 9, "#4a4a48",
        "A mouth-blown smoked-glass globe on a satin bronze backplate, for a soft glow in hallways and beside the "
        "bed. Hard-wired; one G9 bulb. 18 × 22 × 30 cm.",
    ),
    # --- rugs
    DemoProduct(
        "Hand-Knotted Highland Wool Rug", "rugs", Decimal("4900.00"), 4, "#8e7b66",
        "Hand-knotted in Nepal from Himalayan highland wool at 100 knots per square inch, in a soft abstract of "
        "stone and umber. Four weavers spend about three months on each rug. 250 × 350 cm.",
    ),
    DemoProduct(
        "Slate Silk Abstract Rug", "rugs", Decimal("8750.00"), 2, "#5f6f7a",
        "Bamboo silk and New Zealand wool hand-knotted into a watercolour abstract of slate and mist; the silk "
        "catches the light as you walk around it. 200 × 300 cm, 10 mm pile.",
    ),
    DemoProduct(
        "Beni Ourain Berber Rug", "rugs", Decimal("3600.00"), 3, "#efe8dc",
        "Woven by Berber artisans in the Middle Atlas from undyed sheep's wool, with a deep pile and irregular "
        "charcoal diamonds. Washed for softness; each rug's size varies slightly. About 200 × 300 cm.",
    ),
    DemoProduct(
        "Jute and Wool Herringbone Rug", "rugs", Decimal("980.00"), 15, "#b39a72",
        "A dense, reversible herringbone flatweave of hand-spun jute and undyed wool, bound with a cotton edge. "
        "Hard-wearing enough for a hallway, soft enough for bare feet. 170 × 240 cm.",
    ),
    DemoProduct(
        "Vintage Heriz Runner", "rugs", Decimal("2250.00"), 0, "#7a2e2a",
        "A one-of-a-kind Persian Heriz runner hand-knotted in the 1960s in madder red and indigo, professionally "
        "washed and restored. Its worn patina is part of its character. 85 × 320 cm.",
    ),
    # --- bedding
    DemoProduct(
        "Egyptian Cotton Sateen Duvet Cover", "bedding", Decimal("520.00"), 20, "#f2efe8",
        "Long-staple Egyptian cotton woven into a 600 thread count sateen with a soft, lustrous hand. A "
        "double-stitched Oxford border and hidden mother-of-pearl buttons. King, 260 × 220 cm.",
    ),
    DemoProduct(
        "Sage Stonewashed Linen Sheet Set", "bedding", Decimal("440.00"), 18, "#a9b3a1",
        "French flax linen, stonewashed so it is soft from the first night. A flat sheet, a fitted sheet with "
        "40 cm pockets and two pillowcases, in sage. King.",
    ),
    DemoProduct(
        "Camel Cashmere Throw", "bedding", Decimal("1250.00"), 9, "#b39270",
        "Woven in Scotland from pure Mongolian cashmere, with a hand-knotted fringe at both ends. Light enough for "
        "summer evenings, warm enough for winter. 140 × 190 cm.",
    ),
    DemoProduct(
        "Mulberry Silk Pillowcase Pair", "bedding", Decimal("240.00"), 25, "#e7d3c9",
        "22-momme mulberry silk charmeuse in blush, gentle on hair and skin, with an envelope closure. Sold as a "
        "pair. 50 × 75 cm.",
    ),
    DemoProduct(
        "Hungarian Goose Down Duvet", "bedding", Decimal("1690.00"), 6, "#d8d3c8",
        "Hungarian white goose down of 800 fill power in baffle-box channels that keep it evenly lofted, encased "
        "in 400 thread count cotton batiste. Winter weight. King, 260 × 220 cm.",
    ),
    # --- decor
    DemoProduct(
        "Sea Green Hand-Blown Vase", "decor", Decimal("380.00"), 14, "#6f8f88",
        "Mouth-blown in a small Bohemian glassworks, in sea-green glass on a heavy, uneven base. Every vase keeps "
        "its own bubbles and ripples. Ø 18 × 36 cm.",
    ),
    DemoProduct(
        "Lost-Wax Bronze Sculpture", "decor", Decimal("4200.00"), 2, "#6b4f33",
        "An abstract figure cast in bronze by the lost-wax method at a foundry in Pietrasanta, with a brown patina "
        "applied by hand. A limited edition of 25, signed and numbered. 24 × 18 × 52 cm.",
    ),
    DemoProduct(
        "Gilded Venetian Mirror", "decor", Decimal("3900.00"), 2, "#a88a45",
        "Hand-bevelled mirror panels in a carved wooden frame gilded with 22-carat gold leaf, after "
        "eighteenth-century Venetian pieces. Hangs on a French cleat. 90 × 140 cm.",
    ),
    DemoProduct(
        "Travertine Candle Holder Trio", "decor", Decimal("290.00"), 16, "#d6c6a6",
        "Three pillar candle holders turned from solid Tuscan travertine at different heights, left unfilled for "
        "their natural texture. 10, 15 and 20 cm tall.",
    ),
    DemoProduct(
        "Wajima Black Lacquer Tray", "decor", Decimal("360.00"), 11, "#2a2a2a",
        "Eighteen coats of black urushi lacquer over a wooden core, made by hand in Wajima, Japan. Raised edges "
        "keep glasses steady. 50 × 35 × 5 cm.",
    ),
    # --- outdoor
    DemoProduct(
        "Teak Outdoor Lounge Chair", "outdoor", Decimal("2650.00"), 5, "#a0764a",
        "Grade-A plantation teak with mortise-and-tenon joints, left unfinished to weather to a silver grey. The "
        "quick-dry foam cushions are covered in Sunbrella canvas. 78 × 88 × 72 cm.",
    ),
    DemoProduct(
        "Woven Rope Canopy Daybed", "outdoor", Decimal("7800.00"), 2, "#8c8a7e",
        "A powder-coated aluminium frame hand-wrapped in UV-resistant rope, with a retractable canopy and a 12 cm "
        "mattress in Sunbrella fabric. 200 × 150 × 190 cm.",
    ),
    DemoProduct(
        "Cast Stone Fire Bowl", "outdoor", Decimal("3400.00"), 3, "#8f8b84",
        "A wide bowl of glass-fibre-reinforced concrete, honed and sealed, with a stainless-steel gas burner and "
        "lava stones. Runs on propane or natural gas. Ø 100 × 38 cm.",
    ),
    DemoProduct(
        "Iroko Outdoor Dining Table", "outdoor", Decimal("5200.00"), 0, "#7a5a3c",
        "Solid iroko slats on a graphite powder-coated steel base, seating eight. Iroko is rich in natural oils "
        "and resists rot without treatment. 240 × 100 × 75 cm.",
    ),
    DemoProduct(
        "Impruneta Terracotta Planter", "outdoor", Decimal("620.00"), 9, "#b5653e",
        "Hand-thrown in Impruneta from frost-resistant Tuscan clay and fired slowly for strength, with a drainage "
        "hole through the base. Ø 60 × 55 cm.",
    ),
)  # fmt: skip

# --- generated products (seed_demo --products N): "<Adjective> <Material> <Object>" --------------

GENERATED_ADJECTIVES = (
    "Brushed", "Burnished", "Carved", "Channelled", "Fluted", "Gilded", "Hammered", "Honed",
    "Lacquered", "Oiled", "Patinated", "Quilted", "Ribbed", "Sculpted", "Smoked", "Woven",
)  # fmt: skip
GENERATED_MATERIALS = (
    "Alabaster", "Bouclé", "Brass", "Bronze", "Cashmere", "Leather", "Linen", "Marble",
    "Mohair", "Oak", "Onyx", "Rattan", "Teak", "Travertine", "Velvet", "Walnut",
)  # fmt: skip
GENERATED_OBJECTS = {
    "sofas": ("Sofa", "Loveseat", "Sectional", "Chaise Longue", "Settee"),
    "chairs": ("Lounge Chair", "Armchair", "Dining Chair", "Counter Stool", "Slipper Chair"),
    "tables": ("Coffee Table", "Side Table", "Console", "Dining Table", "Writing Desk"),
    "lighting": ("Floor Lamp", "Table Lamp", "Pendant", "Wall Sconce", "Chandelier"),
    "rugs": ("Rug", "Runner", "Round Rug", "Bath Mat", "Hide"),
    "bedding": ("Throw", "Duvet Cover", "Cushion", "Quilt", "Sheet Set"),
    "decor": ("Vase", "Bowl", "Mirror", "Candle Holder", "Tray"),
    "outdoor": ("Lounger", "Planter", "Bench", "Dining Set", "Lantern"),
}
GENERATED_DETAILS = (
    "Made to order in a small family workshop.",
    "Finished by hand and inspected piece by piece.",
    "Each piece varies slightly: the material is natural.",
    "Designed in-house and made in limited runs.",
    "Delivered by a two-person team and placed in the room of your choice.",
)
