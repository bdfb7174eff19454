"""A Tk order form in one of Tk's themes, for the engine's Tk test: ``python tk_form.py THEME TRUTH.json``.

Classic Tk widgets (``classic-tk``) or themed ttk ones (``clam``, ``alt``,
``default``); writes every control's role, name and screen box, from Tk's
own geometry, to ``TRUTH.json`` once the window is drawn, then waits.
"""

from __future__ import annotations

import json
import sys
import tkinter as tk
from tkinter import ttk
from typing import Any


def main(theme: str, out: str) -> None:
    root = tk.Tk()
    root.title("Order form")
    root.geometry("+40+40")
    truth: list[tuple[tk.Misc, str, str]] = []
    menubar = tk.Menu(root)
    for name in ("File", "Edit", "View", "Help"):
        menubar.add_cascade(label=name, menu=tk.Menu(menubar, tearoff=0))
    root.config(menu=menubar)
    themed = theme != "classic-tk"
    if themed:
        ttk.Style().theme_use(theme)
    w: Any = ttk if themed else tk
    frame = w.Frame(root)
    frame.pack(padx=12, pady=12, fill="both")
    notebook = ttk.Notebook(frame) if themed else None
    if notebook is not None:
        body = ttk.Frame(notebook)
        notebook.add(body, text="General")
        for name in ("Shipping", "Payment"):
            notebook.add(ttk.Frame(notebook), text=name)
        notebook.pack(fill="both")
    else:
        body = w.Frame(frame)
        body.pack(fill="both")
    rows = [("Customer name:", "entry", "Customer name"), ("Email:", "entry", "Email"),
            ("Quantity:", "spin", "Quantity")]
    for r, (text, kind, name) in enumerate(rows):
        w.Label(body, text=text).grid(row=r, column=0, sticky="w", pady=4)
        widget = (w.Entry(body, width=30) if kind == "entry"
                  else (ttk.Spinbox if themed else tk.Spinbox)(body, from_=1, to=10, width=5))
        widget.grid(row=r, column=1, sticky="w", pady=4)
        truth.append((widget, kind, name))
    boxes = (("Gift wrap", tk.IntVar(value=1)), ("Express delivery", tk.IntVar(value=0)))
    checked = {name: bool(var.get()) for name, var in boxes}
    for col, (name, var) in enumerate(boxes):
        box = w.Checkbutton(body, text=name, variable=var)
        box.grid(row=3, column=col, sticky="w")
        truth.append((box, "checkbox", name))
    pay = tk.StringVar(value="card")
    for col, (name, value) in enumerate((("Credit card", "card"), ("Bank transfer", "bank"))):
        radio = w.Radiobutton(body, text=name, variable=pay, value=value)
        radio.grid(row=4, column=col, sticky="w")
        truth.append((radio, "radio", name))
    items = tk.Listbox(body, height=4)
    for fruit in ("Apples", "Bananas", "Cherries", "Dates"):
        items.insert("end", fruit)
    items.grid(row=5, column=0, columnspan=2, sticky="we", pady=4)
    buttons = w.Frame(frame)
    buttons.pack(fill="x", pady=8)
    for name in ("Help", "Cancel", "Apply", "Place order"):
        button = w.Button(buttons, text=name)
        button.pack(side="right", padx=4)
        truth.append((button, "button", name))

    def box(widget: tk.Misc) -> list[int]:
        return [widget.winfo_rootx(), widget.winfo_rooty(), widget.winfo_width(), widget.winfo_height()]

    def dump() -> None:
        root.update_idletasks()
        found = [{"role": role, "name": name, "box": box(widget), "checked": checked.get(name, False)}
                 for widget, role, name in truth]
        for i in range(items.size()):
            x, y, _, h = items.bbox(i)
            found.append({"role": "item", "name": items.get(i),
                          "box": [items.winfo_rootx() + x, items.winfo_rooty() + y, items.winfo_width() - 4, h]})
        if notebook is not None:  # a tab's box: the notebook says which tab lies under each pixel
            tabs: dict[int, list[int]] = {}
            for y in range(0, 40):
                for x in range(0, notebook.winfo_width(), 2):
                    try:
                        i = int(notebook.index(f"@{x},{y}"))
                    except (tk.TclError, ValueError):
                        continue
                    b = tabs.setdefault(i, [x, y, x, y])
                    b[0], b[1], b[2], b[3] = min(b[0], x), min(b[1], y), max(b[2], x + 1), max(b[3], y + 1)
            for i, (x0, y0, x1, y1) in tabs.items():
                found.append({"role": "tab", "name": notebook.tab(i, "text"),
                              "box": [notebook.winfo_rootx() + x0, notebook.winfo_rooty() + y0, x1 - x0, y1 - y0]})
        with open(out, "w") as f:
            json.dump(found, f)

    root.after(600, dump)
    root.mainloop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
