public enum OAPlaceholder {}
