"""Set-up shared by every test module, done before any of them is imported."""
import os

import torch

# Without a GPU, Triton runs kernels (nbs/34_kernels) only in its interpreter, which it picks when triton is first
# imported (by golf_nb.kernels, or by torch.compile): switched on here, before any test module imports golf_nb.
if not torch.cuda.is_available(): os.environ.setdefault("TRITON_INTERPRET", "1")
