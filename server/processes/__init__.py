"""The process model of `claimgraph serve`: one writer, several serving processes, and what they share."""
