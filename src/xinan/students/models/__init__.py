from xinan.students.models.student import Guardian, SchoolClass, Student

__all__ = ["Guardian", "SchoolClass", "Student"]
