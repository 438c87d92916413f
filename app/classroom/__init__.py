"""The classroom: classes and join codes, the teacher, class rules, challenges and leaderboards."""
