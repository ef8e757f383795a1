from handlers.filing.router import build_router

__all__ = ["build_router"]
