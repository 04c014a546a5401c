# CuTru.LuuTru: the two commands are `make run` and `make test`. See README.md.
.PHONY: run cluster test fuzz stop build clean migration infra-run infra-test bench bench-reports web tool

run:            ## Install what is missing, start PostgreSQL + Redis + the server with demo data
	@bash scripts/run.sh

cluster:        ## The hub as several processes: HAProxy in front of two api processes and a drain+scheduler+relay process (make stop ends it)
	@bash scripts/cluster.sh up

test:           ## Start the test PostgreSQL + Redis (other ports) and run every test
	@bash scripts/test.sh

fuzz:           ## The hostile-input suite at size: LUUTRU_FUZZ_CASES (default 20000) cases from seed LUUTRU_FUZZ_SEED (default: the time; printed)
	@LUUTRU_FUZZ_CASES=$${LUUTRU_FUZZ_CASES:-20000} LUUTRU_FUZZ_SEED=$${LUUTRU_FUZZ_SEED:-$$(date +%s)} LUUTRU_TEST_FILTER=FullyQualifiedName~OpenApiFuzz bash scripts/test.sh

web:            ## Build the browser app (clients/web, Vite) into the server's static files
	@bash scripts/web.sh

bench:          ## All benchmarks (intake, live push warm and from a start, nightly reports; loopback, ~9 min; BENCH_REPORTS=0, BENCH_LIVE=0, BENCH_COLD=0 skip parts); results in bench/results-*.md, history in bench/README.md
	@bash scripts/bench.sh

tool:           ## Pack the luutru command-line tool into artifacts/tools (then: dotnet tool install --global --add-source artifacts/tools CuTru.LuuTru.Cli)
	dotnet pack clients/CuTru.LuuTru.Cli -c Release -o artifacts/tools -nologo

bench-reports:  ## The nightly-report benchmark alone (a million notifications, every commune's report)
	@bash scripts/bench-reports.sh

stop:           ## Stop the cluster (make cluster) and the private PostgreSQL and Redis instances (run and test)
	@bash scripts/cluster.sh down
	@bash scripts/infra.sh down run
	@bash scripts/infra.sh down test
	@bash scripts/infra.sh down chaos
	@bash scripts/infra.sh down bench

build:          ## Build everything (warnings are errors)
	dotnet build CuTru.LuuTru.sln -nologo

infra-run:      ## Only start the `run` databases
	@bash scripts/infra.sh up run

infra-test:     ## Only start the `test` databases
	@bash scripts/infra.sh up test

migration:      ## Add an EF Core migration: make migration NAME=AddSomething
	@test -n "$(NAME)" || (echo "usage: make migration NAME=AddSomething" >&2; exit 2)
	dotnet tool restore
	dotnet tool run dotnet-ef migrations add $(NAME) --project src/CuTru.LuuTru.Server --output-dir Storage/Migrations

clean:          ## Remove build output (not the local databases: make stop, then rm -rf .local)
	dotnet clean CuTru.LuuTru.sln -nologo -v quiet
	rm -rf artifacts
