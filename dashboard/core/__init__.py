"""What every page shares: texts, icons, inference, lesson links, the page registry, figures and tables."""
