"""Qt-free, torch-free core: geometry, instructions, results, ranking, settings, errors."""

__all__: list[str] = []
