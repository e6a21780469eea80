"""The Iran–Pakistan Corridor Atlas's domain package: data, checks, maps, charts and exports."""
