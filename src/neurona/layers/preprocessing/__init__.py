"""Preprocessing layers: statistics and vocabularies learned from data with `adapt()`."""

from .discretization import Discretization
from .encoding import CategoryEncoding
from .hashing import Hashing
from .lookup import IntegerLookup, StringLookup
from .normalization import Normalization

__all__ = ["CategoryEncoding", "Discretization", "Hashing", "IntegerLookup", "Normalization", "StringLookup"]
