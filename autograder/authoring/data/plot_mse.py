import matplotlib.pyplot as plt

crowd_and_outlier = np.array([1.6, 1.8, 1.9, 2.0, 2.0, 2.1, 2.1, 2.2, 2.3, 12.0])
c_grid = np.linspace(0.0, 13.0, 600)
gaps = crowd_and_outlier[None, :] - c_grid[:, None]
curves = {"MSE": (gaps ** 2).mean(axis=1), "MAE": np.abs(gaps).mean(axis=1)}
best = {"MSE": ("mean", crowd_and_outlier.mean()), "MAE": ("median", np.median(crowd_and_outlier))}

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
for ax, (name, curve) in zip(axes, curves.items()):
    label, c_best = best[name]
    ax.plot(c_grid, curve)
    ax.axvline(c_best, color="crimson", linestyle="--", label=f"best c = {label} = {c_best:.2f}")
    ax.plot(crowd_and_outlier, np.zeros_like(crowd_and_outlier), "k|", markersize=14, label="targets")
    ax.set_xlabel("constant prediction c")
    ax.set_title(f"{name} of predicting c for every target")
    ax.legend()
plt.tight_layout()
plt.show()