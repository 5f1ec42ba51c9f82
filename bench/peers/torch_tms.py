#!/usr/bin/python3
"""Minimal idiomatic PyTorch trainer of the TMS model families, the peer for `npm run bench`.

Instances are batched as in Anthropic's notebook: W has shape (instances, n, m) and one optimizer
step trains them all. Loss per instance = mean over batch and features of importance * (out - y)^2;
the instance losses are summed, so each instance gets its own mean's gradient. Fresh data each step.

Input: one JSON object on stdin
  {kind, n, m, steps, batch, threads, sparsity: [S per instance],
   importance: [[n floats] per instance], loss_points, max_seconds,
   device ("cpu" default, or "cuda": parameters AND data on the GPU), compile (torch.compile the step's
   forward+loss; default false)}
On cuda the loss stays on the GPU and is read once per loss block, as the webgpu engine does.
Output: one JSON line {steps, seconds, steps_per_s, max_rss_mb, losses: [summed block means], torch};
`steps` is fewer than asked when max_seconds ran out first.
"""
import json, resource, sys, time

import torch

cfg = json.load(sys.stdin)
torch.manual_seed(0)
torch.set_num_threads(int(cfg.get("threads", 1)))
dev = torch.device(cfg.get("device", "cpu"))
kind, n, m, B, steps = cfg["kind"], cfg["n"], cfg["m"], cfg["batch"], cfg["steps"]
I = len(cfg["sparsity"])
prob = (1 - torch.tensor(cfg["sparsity"], dtype=torch.float32, device=dev))[None, :, None]  # (1, I, 1)
importance = torch.tensor(cfg["importance"], dtype=torch.float32, device=dev)[None]  # (1, I, n)


def xavier(*shape):
    # Xavier-normal of each instance's n x m matrix, std sqrt(2/(n+m)) like our engines (xavier_normal_
    # on the 3-d tensor would also count the instance dimension in its fans and start far smaller).
    return torch.nn.Parameter(torch.randn(*shape, device=dev) * (2 / (n + m)) ** 0.5)


W = xavier(I, n, m)
W2 = xavier(I, n, m) if kind == "abs" else None
b = torch.nn.Parameter(torch.zeros(I, n, device=dev))
params = [W, b] + ([W2] if W2 is not None else [])
opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)


def batch():
    v = torch.rand(B, I, n, device=dev)
    if kind == "abs":
        v = 2 * v - 1
    return torch.where(torch.rand(B, I, n, device=dev) <= prob, v, torch.zeros((), device=dev))


def loss_of(x):
    y = x.abs() if kind == "abs" else x
    return (importance * (forward(x) - y) ** 2).mean(dim=(0, 2)).sum()


def forward(x):
    h = torch.einsum("bif,ifh->bih", x, W)
    if kind in ("relu-hidden", "abs"):
        h = torch.relu(h)
    out = torch.einsum("bih,ifh->bif", h, W2 if W2 is not None else W) + b
    return out if kind == "linear" else torch.relu(out)


step_loss = torch.compile(loss_of) if cfg.get("compile") else loss_of
on_gpu = dev.type == "cuda"
every = max(1, steps // cfg.get("loss_points", 100))
max_seconds = cfg.get("max_seconds", float("inf"))
losses, acc, done = [], 0.0, 0
t0 = time.perf_counter()
for step in range(steps):
    loss = step_loss(batch())
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    # the sync a real training loop does for logging: every step on CPU, once per loss block on the GPU
    acc = acc + (loss.detach() if on_gpu else loss.item())
    if (step + 1) % every == 0:
        losses.append(float(acc) / every)
        acc = 0.0
    done = step + 1
    if time.perf_counter() - t0 > max_seconds:
        break
if on_gpu:
    torch.cuda.synchronize()
secs = time.perf_counter() - t0
print(json.dumps({
    "steps": done, "seconds": secs, "steps_per_s": done / secs,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "losses": losses, "torch": torch.__version__, "threads": torch.get_num_threads(),
    "device": torch.cuda.get_device_name() if on_gpu else "cpu",
}))
