# Entry points. `make report` and `make test` set themselves up from nothing:
# a virtual environment in .venv, the package, a named Jupyter kernel, the prepared demo data.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= data_raw/demo
DATA   ?= data_processed
OUT    ?= reports

.PHONY: setup prepare report test demo clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dask]"
	$(BIN)/python -m ipykernel install --sys-prefix --name fouress-eval --display-name "Python (fouress_eval)"
	touch $(STAMP)

$(DATA)/manifest.json: $(STAMP) $(wildcard $(RAW)/*) $(wildcard fouress_eval/*.py fouress_eval/io/*.py)
	$(BIN)/fouress-eval prepare --raw $(RAW) --out $(DATA)

prepare: $(DATA)/manifest.json

report: prepare
	$(BIN)/fouress-eval run --municipality all --data-dir $(DATA) --out $(OUT)

test: prepare
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg tests notebooks

demo: $(STAMP)
	$(BIN)/fouress-eval demo --out data_raw/demo --seed 2017

clean:
	rm -rf $(VENV) $(DATA)/*.parquet $(DATA)/manifest.json
