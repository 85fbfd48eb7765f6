"""The pure core: columnar arrays in, arrays out. Imports numpy and the standard library only."""
