from django import template

from creative_regions.geo.tile_map import TileMap

register = template.Library()


@register.inclusion_tag("geo/partials/_tile_map.html")
def tile_map(map_data: TileMap) -> dict:
    """Renders a map built by ``tile_map_build`` as an SVG with its legend."""
    return {"map": map_data}
