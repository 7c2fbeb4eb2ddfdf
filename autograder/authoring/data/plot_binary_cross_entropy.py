import matplotlib.pyplot as plt

p_grid = np.linspace(0.0005, 0.9995, 800)
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(p_grid, -np.log(p_grid), label="binary cross-entropy for y = 1:  $-\\log p$")
ax.plot(p_grid, (p_grid < 0.5).astype(float), "--", label="thresholded error (what accuracy sees)")
for p_mark in (0.51, 0.001):
    cost = -np.log(p_mark)
    ax.plot(p_mark, cost, "o", color="crimson")
    ax.annotate(f"p = {p_mark}: loss {cost:.2f}", (p_mark, cost),
                textcoords="offset points", xytext=(12, 4))
ax.set_xlabel("predicted probability of the positive class, p")
ax.set_ylabel("loss")
ax.set_title("A positive example: the more confident the miss, the higher the cost")
ax.legend()
plt.show()