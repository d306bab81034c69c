"""CloudFormation templates (YAML or JSON): plugin (finding templates), syntax (reading with line numbers), loader (evaluating into Resources)."""
