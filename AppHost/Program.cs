// Placeholder composition root; replaced by the resource graph (issue 5).
return 0;
