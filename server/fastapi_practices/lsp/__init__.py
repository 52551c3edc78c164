"""The language server face: pygls handlers translating LSP to engine calls and back."""
