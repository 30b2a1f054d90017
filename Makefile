# Entry points. `make report` and `make test` set themselves up from nothing:
# a virtual environment in .venv, the package, a named Jupyter kernel, the prepared demo data.
# EVALUATION names evaluations/<name>.yml; RAW and DATA are its raw and prepared folders.
PYTHON ?= python3
EVALUATION ?= fouress
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= $(if $(filter fouress,$(EVALUATION)),data_raw/demo,data_raw/$(EVALUATION))
DATA   ?= data_processed/$(EVALUATION)
OUT    ?= reports/$(EVALUATION)

.PHONY: setup prepare report test demo clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,dask]"
	$(BIN)/python -m ipykernel install --sys-prefix --name fouress-eval --display-name "Python (fouress_eval)"
	touch $(STAMP)

# The sister evaluations' synthetic raw data are generated on first use (not committed).
$(RAW): | $(STAMP)
	$(BIN)/fouress-eval demo --evaluation $(EVALUATION) --out $(RAW) --seed 2017

$(DATA)/manifest.json: $(STAMP) $(wildcard $(RAW)/*) $(wildcard fouress_eval/*.py fouress_eval/io/*.py) | $(RAW)
	$(BIN)/fouress-eval prepare --evaluation $(EVALUATION) --raw $(RAW) --out $(DATA)

prepare: $(DATA)/manifest.json

report: prepare
	$(BIN)/fouress-eval run --evaluation $(EVALUATION) --data-dir $(DATA) --out $(OUT)

test: prepare
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg tests notebooks

demo: $(STAMP)
	$(BIN)/fouress-eval demo --evaluation $(EVALUATION) --out $(RAW) --seed 2017

clean:
	rm -rf $(VENV) $(DATA)
