"""``python -m llmsum``: the same command line as the ``llmsum`` script."""

from llmsum.cli import main

if __name__ == "__main__":
    main()
