class ProductNotFound(Exception):
    pass
